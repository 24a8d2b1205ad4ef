//! PDF: the text of every page as runs with their place (page, x, y, font size), and lines
//! rebuilt from them.
//!
//! Before lopdf sees the file, every stream in it is inflated once and counted against the
//! budget, all streams together (lopdf itself bounds only one stream at a time); object
//! streams whose index points twice at one place, or is larger than any real one, are
//! refused. lopdf then loads the file with its own per-stream bound, and each page's content
//! is decoded one operation at a time.

use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object};

use crate::meter::Meter;
use crate::{Budget, ExtractError, Format, Limit};

/// The largest index of one object stream (bytes): real ones hold a few hundred objects.
const MAX_OBJSTM_INDEX: usize = 64 * 1024;

/// The largest content of one page, inflated (bytes).
const MAX_PAGE_CONTENT: usize = 8 * 1024 * 1024;

/// One piece of text as a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Page number, from 1.
    pub page: u32,
    /// Where the run starts, in points from the page's left edge.
    pub x: f32,
    /// The run's baseline, in points from the page's bottom edge (PDF's own direction: a
    /// larger y is higher on the page).
    pub y: f32,
    /// The run's advance width in points (from the fonts' widths).
    pub width: f32,
    /// The font size in points, as scaled onto the page.
    pub font_size: f32,
    /// The text.
    pub text: String,
}

/// One page's runs.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    /// Page number, from 1.
    pub number: u32,
    /// The runs, in the order the page draws them.
    pub runs: Vec<TextRun>,
}

/// The text of a PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfText {
    /// The pages, in order.
    pub pages: Vec<PdfPage>,
}

impl PdfPage {
    /// The page's lines, top to bottom: runs whose baselines lie within half a font size of
    /// each other, left to right. Within a line, runs that touch are joined as they are, a gap
    /// of up to one font size becomes a space and a wider gap (a table's next cell) a tab.
    pub fn lines(&self) -> Vec<String> {
        let mut runs: Vec<&TextRun> = self.runs.iter().filter(|r| !r.text.is_empty()).collect();
        runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Vec<&TextRun>> = Vec::new();
        for run in runs {
            match lines.last_mut() {
                Some(line) if (line[0].y - run.y).abs() <= line[0].font_size.max(1.0) / 2.0 => {
                    line.push(run)
                }
                _ => lines.push(vec![run]),
            }
        }
        lines
            .into_iter()
            .map(|mut line| {
                line.sort_by(|a, b| a.x.total_cmp(&b.x));
                let mut out = String::new();
                let mut end: Option<f32> = None;
                for run in line {
                    if let Some(end) = end {
                        let gap = run.x - end;
                        let size = run.font_size.max(1.0);
                        if gap > size {
                            out.push('\t');
                        } else if gap > 0.2 * size {
                            out.push(' ');
                        }
                    }
                    out.push_str(&run.text);
                    end = Some(end.map_or(run.x + run.width, |e: f32| e.max(run.x + run.width)));
                }
                out
            })
            .collect()
    }
}

impl PdfText {
    /// All text: each page's lines, pages one after another.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            for line in page.lines() {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }

    /// Every run of every page, in order.
    pub fn runs(&self) -> impl Iterator<Item = &TextRun> {
        self.pages.iter().flat_map(|p| p.runs.iter())
    }
}

/// Reads a PDF within `budget`. `file` names the file in errors.
pub fn read_pdf(file: &str, data: &[u8], budget: &Budget) -> Result<PdfText, ExtractError> {
    let mut meter = Meter::start(file, Format::Pdf, budget, data.len())?;
    if !data.starts_with(b"%PDF-")
        && !data[..data.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(meter.unreadable("不是 PDF 文件"));
    }
    prescan_streams(&mut meter, data)?;
    // lopdf is lenient with damaged files; a panic in it is a file it could not read.
    match catch_unwind(AssertUnwindSafe(|| read_document(&mut meter, data))) {
        Ok(result) => result,
        Err(_) => Err(ExtractError::unreadable(file, Format::Pdf, "文件结构异常")),
    }
}

fn read_document(meter: &mut Meter<'_>, data: &[u8]) -> Result<PdfText, ExtractError> {
    let per_stream = usize::try_from(meter.budget.max_inflated_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(per_stream),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(data, options)
        .map_err(|e| meter.unreadable(format!("文件结构错误（{e}）")))?;
    if doc.is_encrypted() {
        return Err(meter.unreadable("文件已加密，请去除密码后再上传"));
    }
    meter.time()?;
    let pages = doc.get_pages();
    if pages.len() > meter.budget.max_pages {
        return Err(meter.over(Limit::Pages(meter.budget.max_pages)));
    }
    let mut out = Vec::with_capacity(pages.len());
    for (number, page_id) in pages {
        // A font's /ToUnicode map says what its codes mean, whatever its /Encoding says
        // (Type3 fonts name their glyphs g1, g2 …); lopdf reads /Encoding first, so it is
        // handed a copy without it.
        let page_fonts: Vec<(Vec<u8>, &Dictionary, Dictionary)> = doc
            .get_page_fonts(page_id)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, dict)| {
                let mut for_text = dict.clone();
                if for_text.has(b"ToUnicode") {
                    for_text.remove(b"Encoding");
                }
                (name, dict, for_text)
            })
            .collect();
        let mut fonts: BTreeMap<Vec<u8>, Font<'_>> = BTreeMap::new();
        for (name, dict, for_text) in &page_fonts {
            let encoding = match for_text.get_font_encoding_with_limit(&doc, per_stream) {
                Ok(e) => Some(e),
                Err(lopdf::Error::Decompress(_)) => {
                    return Err(meter.over(Limit::InflatedBytes(meter.budget.max_inflated_bytes)));
                }
                Err(_) => None,
            };
            fonts.insert(name.clone(), Font::new(&doc, dict, encoding));
        }
        let content = doc
            .get_page_content_with_limit(page_id, MAX_PAGE_CONTENT)
            .map_err(|_| meter.over(Limit::InflatedBytes(MAX_PAGE_CONTENT as u64)))?;
        let mut page = PdfPage {
            number,
            runs: Vec::new(),
        };
        interpret(meter, &content, &fonts, &mut page)?;
        out.push(page);
    }
    Ok(PdfText { pages: out })
}

/// A font of a page: how its bytes decode to text and how wide each code is.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// Two-byte codes (a Type0 font with an Identity or UCS-2 CMap).
    two_byte: bool,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
    /// Glyph space to text space: 1/1000, or a Type3 font's own `/FontMatrix`.
    scale: f32,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

impl<'a> Font<'a> {
    fn new(doc: &'a Document, dict: &'a Dictionary, encoding: Option<Encoding<'a>>) -> Self {
        let deref = |o: &'a Object| doc.dereference(o).map(|(_, o)| o).ok();
        let mut widths = BTreeMap::new();
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        if subtype == b"Type0" {
            let descendant = dict
                .get(b"DescendantFonts")
                .ok()
                .and_then(deref)
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(deref)
                .and_then(|o| o.as_dict().ok());
            let default_width = descendant
                .and_then(|d| d.get(b"DW").ok())
                .and_then(num)
                .unwrap_or(1000.0);
            if let Some(w) = descendant
                .and_then(|d| d.get(b"W").ok())
                .and_then(deref)
                .and_then(|o| o.as_array().ok())
            {
                cid_widths(w, &mut widths, deref);
            }
            return Font {
                encoding,
                two_byte: true,
                widths,
                default_width,
                scale: 0.001,
            };
        }
        let first = dict.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
        if let Some(w) = dict
            .get(b"Widths")
            .ok()
            .and_then(deref)
            .and_then(|o| o.as_array().ok())
        {
            for (i, w) in w.iter().take(256).enumerate() {
                if let Some(w) = deref(w).and_then(num) {
                    widths.insert(first + i as u32, w);
                }
            }
        }
        let missing = dict
            .get(b"FontDescriptor")
            .ok()
            .and_then(deref)
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(num)
            // The 14 standard fonts carry no widths: half an em is near their average.
            .unwrap_or(500.0);
        let scale = if subtype == b"Type3" {
            dict.get(b"FontMatrix")
                .ok()
                .and_then(deref)
                .and_then(|o| o.as_array().ok())
                .and_then(|m| m.first())
                .and_then(num)
                .unwrap_or(0.001)
        } else {
            0.001
        };
        Font {
            encoding,
            two_byte: false,
            widths,
            default_width: missing,
            scale,
        }
    }

    fn codes<'b>(&self, bytes: &'b [u8]) -> impl Iterator<Item = u32> + 'b {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|c| c.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)))
    }

    /// A code's advance for a font size of 1.
    fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
            * self.scale
    }
}

/// A CIDFont's `/W`: `c [w1 w2 …]` (widths from c on) or `c_first c_last w`.
fn cid_widths<'a>(
    w: &'a [Object],
    out: &mut BTreeMap<u32, f32>,
    deref: impl Fn(&'a Object) -> Option<&'a Object>,
) {
    let mut i = 0;
    // At most 65,536 codes: a crafted range cannot make the map grow without end.
    while i + 1 < w.len() && out.len() < 65_536 {
        let Some(first) = num(&w[i]).map(|f| f as u32) else {
            return;
        };
        match deref(&w[i + 1]) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate().take(65_536) {
                    if let Some(v) = num(v) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(num)) else {
                    return;
                };
                let last = (last as u32).min(first.saturating_add(65_535));
                for c in first..=last {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => return,
        }
    }
}

type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` for PDF's row-vector matrices.
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

#[derive(Clone)]
struct TextState {
    font: Vec<u8>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// Runs a page's content one operation at a time, keeping the graphics and text state that
/// places text, and records a run for each string shown.
fn interpret(
    meter: &mut Meter<'_>,
    content: &[u8],
    fonts: &BTreeMap<Vec<u8>, Font<'_>>,
    page: &mut PdfPage,
) -> Result<(), ExtractError> {
    let mut ctm = IDENTITY;
    let mut ts = TextState {
        font: Vec::new(),
        size: 0.0,
        char_space: 0.0,
        word_space: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    let mut stack: Vec<(Matrix, TextState)> = Vec::new();
    let mut tm = IDENTITY;
    let mut tlm = IDENTITY;
    for op in Content::decode_iter(content) {
        meter.tick()?;
        // A damaged tail ends the page; what came before it stands.
        let Ok(op) = op else { break };
        let n = |i: usize| op.operands.get(i).and_then(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" if stack.len() < 256 => stack.push((ctm, ts.clone())),
            "Q" => {
                if let Some((c, t)) = stack.pop() {
                    ctm = c;
                    ts = t;
                }
            }
            "cm" => ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &ctm),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                ts.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .unwrap_or(b"")
                    .to_vec();
                ts.size = n(1);
            }
            "Tc" => ts.char_space = n(0),
            "Tw" => ts.word_space = n(0),
            "Tz" => ts.scale = n(0) / 100.0,
            "TL" => ts.leading = n(0),
            "Ts" => ts.rise = n(0),
            "Td" => {
                tlm = mul(&translate(n(0), n(1)), &tlm);
                tm = tlm;
            }
            "TD" => {
                ts.leading = -n(1);
                tlm = mul(&translate(n(0), n(1)), &tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&translate(0.0, -ts.leading), &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    if op.operator == "\"" {
                        ts.word_space = n(0);
                        ts.char_space = n(1);
                    }
                    tlm = mul(&translate(0.0, -ts.leading), &tlm);
                    tm = tlm;
                }
                let Some(font) = fonts.get(&ts.font) else {
                    continue;
                };
                let start = mul(&mul(&translate(0.0, ts.rise), &tm), &ctm);
                let mut text = String::new();
                let mut advance = 0.0f32;
                let parts: &[Object] = match op.operator.as_str() {
                    "TJ" => op
                        .operands
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map_or(&[], Vec::as_slice),
                    _ => op.operands.last().map_or(&[], std::slice::from_ref),
                };
                for part in parts {
                    match part {
                        Object::String(bytes, _) => {
                            if let Some(enc) = &font.encoding {
                                let before = text.len();
                                // An undecodable string still advances the pen.
                                let _ = enc.write_to_string(bytes, &mut text);
                                meter.text(text.len() - before)?;
                            }
                            for code in font.codes(bytes) {
                                let w = font.width(code) * ts.size;
                                let space = if !font.two_byte && code == 32 {
                                    ts.word_space
                                } else {
                                    0.0
                                };
                                advance += (w + ts.char_space + space) * ts.scale;
                            }
                        }
                        other => {
                            if let Some(adj) = num(other) {
                                advance -= adj / 1000.0 * ts.size * ts.scale;
                            }
                        }
                    }
                }
                tm = mul(&translate(advance, 0.0), &tm);
                let end = mul(&mul(&translate(0.0, ts.rise), &tm), &ctm);
                // The size on the page: the font size scaled by the matrices' vertical part.
                let scale_y = (start[2] * start[2] + start[3] * start[3]).sqrt();
                let text = unify_radicals(&text.replace('\0', ""));
                if !text.trim().is_empty() {
                    page.runs.push(TextRun {
                        page: page.number,
                        x: start[4],
                        y: start[5],
                        width: ((end[4] - start[4]).powi(2) + (end[5] - start[5]).powi(2)).sqrt(),
                        font_size: ts.size.abs() * scale_y,
                        text,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The unified ideograph of each Kangxi radical U+2F00–U+2FD5 (their NFKC forms).
const KANGXI: &str = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";
/// CJK Radicals Supplement characters with a compatibility ideograph (NFKC).
const SUPPLEMENT: [(char, char); 2] = [('\u{2E9F}', '\u{6BCD}'), ('\u{2EF3}', '\u{9F9F}')];

/// Kangxi and supplementary radicals as the ideographs they stand for. Fonts subset by
/// Chromium and others map glyphs of 一, 人, 行 … to the radicals (U+2F00 ⼀) in their ToUnicode
/// tables, so text copied from such a PDF looks right and matches nothing; a radical is never
/// what a government document means to write.
fn unify_radicals(s: &str) -> String {
    s.chars()
        .map(|c| match u32::from(c) {
            0x2F00..=0x2FD5 => KANGXI
                .chars()
                .nth((u32::from(c) - 0x2F00) as usize)
                .unwrap_or(c),
            0x2E80..=0x2EFF => SUPPLEMENT
                .iter()
                .find(|(r, _)| *r == c)
                .map_or(c, |(_, u)| *u),
            _ => c,
        })
        .collect()
}

/// Inflates every stream of the raw file once, counting all output together against the
/// budget, and checks the index of each object stream. Streams are found by their keyword, not
/// through the cross-reference table, so no stream lopdf could reach is missed.
fn prescan_streams(meter: &mut Meter<'_>, data: &[u8]) -> Result<(), ExtractError> {
    for filter in [&b"/LZWDecode"[..], b"/RunLengthDecode"] {
        if find(data, filter, 0).is_some() {
            return Err(meter.unreadable("使用了不支持的压缩方式（LZW 或 RunLength）"));
        }
    }
    let mut objstm_bytes: u64 = 0;
    let mut at = 0;
    while let Some(k) = find(data, b"stream", at) {
        at = k + 6;
        if k >= 3 && &data[k - 3..k] == b"end" {
            continue;
        }
        meter.tick()?;
        let mut start = at;
        if data.get(start) == Some(&b'\r') {
            start += 1;
        }
        if data.get(start) == Some(&b'\n') {
            start += 1;
        }
        // The dictionary before the keyword, back to its object's start.
        let dict_from = find_back(data, b"obj", k).unwrap_or(k.saturating_sub(4096));
        let dict = &data[dict_from..k];
        let is_objstm = find(dict, b"/ObjStm", 0).is_some();
        let mut head = Vec::new();
        // Object streams become parsed objects in memory, many times their size: all of them
        // together get an eighth of the budget.
        let objstm_cap = meter.budget.max_inflated_bytes / 8;
        let cap = if is_objstm {
            objstm_cap - objstm_bytes
        } else {
            u64::MAX
        };
        let produced = inflate_count(meter, &data[start..], cap, is_objstm, &mut head).map_err(
            |e| match e {
                Over::Cap => meter.over(Limit::InflatedBytes(objstm_cap)),
                Over::Budget(e) => e,
            },
        )?;
        if is_objstm {
            objstm_bytes += produced;
            check_objstm_index(meter, dict, &head)?;
        }
    }
    Ok(())
}

/// Why [`inflate_count`] stopped early.
enum Over {
    /// The stream's own cap.
    Cap,
    /// The file's budget.
    Budget(ExtractError),
}

/// Inflates one stream (zlib, or raw deflate as lopdf falls back to), counting its output
/// against the budget and against `cap`; keeps the first bytes in `head` when asked. A stream
/// that is not deflated inflates to nothing here and costs nothing later.
fn inflate_count(
    meter: &mut Meter<'_>,
    input: &[u8],
    cap: u64,
    keep_head: bool,
    head: &mut Vec<u8>,
) -> Result<u64, Over> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut produced = 0u64;
    let mut count = |reader: &mut dyn Read, meter: &mut Meter<'_>, head: &mut Vec<u8>| {
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return Ok(()),
                Ok(n) => {
                    if keep_head && head.len() < MAX_OBJSTM_INDEX {
                        let take = n.min(MAX_OBJSTM_INDEX - head.len());
                        head.extend_from_slice(&buf[..take]);
                    }
                    produced += n as u64;
                    if produced > cap {
                        return Err(Over::Cap);
                    }
                    meter.inflated(n as u64).map_err(Over::Budget)?;
                }
            }
        }
    };
    let mut zlib = ZlibDecoder::new(input);
    count(&mut zlib, meter, head)?;
    if zlib.total_out() == 0 && input.len() > 2 {
        count(&mut DeflateDecoder::new(&input[2..]), meter, head)?;
    }
    Ok(produced)
}

/// An object stream's index (`/First` bytes of object number and offset pairs) must be small
/// and its offsets strictly increasing: offsets pointing into one another would have lopdf
/// parse the same bytes once per entry.
fn check_objstm_index(meter: &Meter<'_>, dict: &[u8], head: &[u8]) -> Result<(), ExtractError> {
    let bad = |why: &str| meter.unreadable(format!("对象流索引异常（{why}）"));
    let Some(p) = find(dict, b"/First", 0) else {
        return Err(bad("缺少 /First"));
    };
    let digits: String = dict[p + 6..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    let first: usize = digits.parse().map_err(|_| bad("/First 无效"))?;
    if first > MAX_OBJSTM_INDEX || first > head.len() {
        return Err(bad("索引过大"));
    }
    let index = String::from_utf8_lossy(&head[..first]);
    let mut last: Option<u64> = None;
    for (i, word) in index.split_ascii_whitespace().enumerate() {
        if i % 2 == 1 {
            let offset: u64 = word.parse().map_err(|_| bad("偏移量无效"))?;
            if last.is_some_and(|l| offset <= l) {
                return Err(bad("偏移量重复或倒序"));
            }
            last = Some(offset);
        }
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The last `needle` ending at or before `before`, looking back at most 4 KB.
fn find_back(hay: &[u8], needle: &[u8], before: usize) -> Option<usize> {
    let from = before.saturating_sub(4096);
    hay[from..before]
        .windows(needle.len())
        .rposition(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x: f32, y: f32, width: f32, text: &str) -> TextRun {
        TextRun {
            page: 1,
            x,
            y,
            width,
            font_size: 10.0,
            text: text.into(),
        }
    }

    #[test]
    fn lines_from_runs() {
        let page = PdfPage {
            number: 1,
            runs: vec![
                run(300.0, 700.0, 20.0, "12"),
                run(100.0, 701.0, 20.0, "收到"),
                run(120.0, 700.5, 20.0, "申请"),
                run(100.0, 680.0, 40.0, "第二行"),
                run(143.0, 680.0, 10.0, "x"),
            ],
        };
        assert_eq!(page.lines(), vec!["收到申请\t12", "第二行 x"]);
    }

    #[test]
    fn matrices_compose_left_to_right() {
        let m = mul(&translate(10.0, 0.0), &[2.0, 0.0, 0.0, 2.0, 5.0, 5.0]);
        assert_eq!(m, [2.0, 0.0, 0.0, 2.0, 25.0, 5.0]);
    }
}
