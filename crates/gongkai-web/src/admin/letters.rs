//! The numbered letters of an application: 补正告知书 (Art. 30), 延期答复告知书 (Art. 33 ¶2) and
//! the 答复书 of each outcome.
//!
//! A letter prints only what a person decided: the 补正 notice lists the items the handler
//! wrote (一次性告知, Art. 30) and the date the correction is due; a reply states the outcome
//! ([`Outcome::letter_decision`]), cites only the articles the handler chose from those the
//! outcome allows ([`Outcome::articles`]), gives the handler's reasons word for word, names
//! the responsible agency the handler named (Art. 36(5)), and states the remedies
//! ([`remedies`]) naming the 行政复议机关 and the court the agency's head set. No letter has reason text of its own: a reply that needs reasons and has
//! none refuses to print ([`LetterError`]) rather than say something nobody decided.
//!
//! The letter is built once as plain paragraphs ([`Letter`]) and rendered as HTML by the case
//! page's template and as DOCX here, so every format says the same words.

use chrono::NaiveDate;
use gongkai_law::Outcome;
use gongkai_law::outcome::remedies;
use gongkai_store::models::Application;
use gongkai_store::models::letter_settings::LetterSettings;

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    /// 补正告知书.
    Correction,
    /// 延期答复告知书.
    Extension,
    /// 答复书 with this outcome.
    Reply(Outcome),
}

impl LetterKind {
    /// The letter's title.
    pub fn title(self) -> &'static str {
        match self {
            LetterKind::Correction => "政府信息公开申请补正告知书",
            LetterKind::Extension => "政府信息公开申请延期答复告知书",
            LetterKind::Reply(_) => "政府信息公开申请答复书",
        }
    }

    /// The character that tells the series of this kind apart in the number (补正 补, 延期
    /// 延; replies have none): each kind is numbered on its own counter.
    pub fn series(self) -> &'static str {
        match self {
            LetterKind::Correction => "补",
            LetterKind::Extension => "延",
            LetterKind::Reply(_) => "",
        }
    }
}

/// The seal line under the signature: where the agency's seal goes on the printed letter.
pub const SEAL_LINE: &str = "（印章）";

/// A letter as paragraphs, ready for any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// 文号, e.g. `甲政公开〔2026〕1号`.
    pub number: String,
    /// Title.
    pub title: String,
    /// 称谓: the applicant, followed by a colon.
    pub addressee: String,
    /// Body paragraphs.
    pub paragraphs: Vec<String>,
    /// The issuing agency (落款).
    pub agency: String,
    /// The letter's date (落款日期).
    pub date: String,
    /// The letter's date as a date (the DOCX's creation date).
    pub dated: NaiveDate,
}

/// The letter number as GB/T 9704 writes a 发文字号: the first character of the agency's
/// name (its 简称), the kind's series character, the year in 〔〕 and the serial per agency,
/// year and kind, with neither 第 nor leading zeros (`甲政公开补〔2026〕1号`,
/// `甲政公开〔2026〕12号`).
pub fn letter_number(kind: LetterKind, agency: &str, year: i32, serial: i64) -> String {
    let short: String = agency.chars().take(1).collect();
    format!("{short}政公开{}〔{year}〕{serial}号", kind.series())
}

fn chinese_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// A Chinese ordinal for numbered items (一, 二 … 十, 十一 … 九十九).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// Punctuation a person's sentence may end with, which the letter's own would double.
fn is_closing_punctuation(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | '，' | '、' | '：' | '.' | ';' | ',' | ':' | '！' | '!' | '？' | '?'
    ) || c.is_whitespace()
}

/// A person's words as a clause inside the letter's own sentence: trailing punctuation
/// dropped, so 「…。”。」 cannot happen.
fn clause(s: &str) -> &str {
    s.trim().trim_end_matches(is_closing_punctuation)
}

/// A person's words as a sentence of their own: ends with exactly one full stop (or the
/// question or exclamation mark they wrote).
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with(['。', '！', '？']) {
        t.to_string()
    } else {
        format!("{}。", clause(t))
    }
}

/// What a letter says beyond the application itself: everything a person decided.
#[derive(Debug, Clone, Copy, Default)]
pub struct LetterFacts<'a> {
    /// The new deadline (extension letters).
    pub extended_due: Option<NaiveDate>,
    /// The items to correct, as the handler wrote them (补正 notices).
    pub correction_items: &'a [String],
    /// The last day for the correction (补正 notices).
    pub correction_due: Option<NaiveDate>,
    /// The handler's reasons (every reply but 予以公开).
    pub reasons: Option<&'a str>,
    /// The articles the handler chose as the reply's basis.
    pub basis: &'a [String],
    /// The agency responsible for the information (Art. 36(5)), as the handler named it.
    pub responsible: Option<&'a str>,
    /// The reply was recorded by the Regulation's own rule (逾期不补正 / 逾期未缴费), not by a
    /// handler: its basis is the outcome's article and the lapse is its reason.
    pub automatic: bool,
    /// The 行政复议机关 and the court the remedies name (the agency's settings).
    pub settings: Option<&'a LetterSettings>,
}

/// Why a letter cannot be printed: something a person must decide is not on record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    /// A reply that withholds, declines or cannot provide without the handler's reasons.
    #[error(
        "该答复没有记录理由，答复书不能生成：不予公开、部分公开、无法提供、不予处理和其他处理的答复须由承办人写明理由。"
    )]
    NoReasons,
    /// A reply without the articles it rests on.
    #[error("该答复没有记录法律依据，答复书不能生成：请由承办人选择答复所依据的条款。")]
    NoBasis,
    /// A 补正 notice without the items to correct.
    #[error("该补正告知没有记录需要补正的事项，补正告知书不能生成。")]
    NoCorrectionItems,
    /// The agency has not set the 行政复议机关 and the court its letters name.
    #[error(
        "本机关尚未设置行政复议机关和管辖法院，文书不能生成：请负责人在后台「文书设置」（/admin/letter-settings）中填写后再打印。"
    )]
    NoRemedyBodies,
}

/// Builds a letter for `app`, issued on `on`; refuses when a fact a person must decide is
/// missing ([`LetterError`]).
pub fn build(
    kind: LetterKind,
    app: &Application,
    agency: &str,
    number: String,
    on: NaiveDate,
    facts: LetterFacts<'_>,
) -> Result<Letter, LetterError> {
    let settings = facts.settings.ok_or(LetterError::NoRemedyBodies)?;
    let received = chinese_date(app.received_on);
    let intro = format!(
        "本机关于{received}收到您提交的政府信息公开申请（申请编号：{}），您申请获取“{}”。",
        app.tracking_no,
        clause(&app.description)
    );
    let mut paragraphs = vec![intro];
    match kind {
        LetterKind::Correction => {
            let items: Vec<&str> = facts
                .correction_items
                .iter()
                .map(|i| clause(i))
                .filter(|i| !i.is_empty())
                .collect();
            if items.is_empty() {
                return Err(LetterError::NoCorrectionItems);
            }
            paragraphs.push(
                "经审查，您的申请需要补正。根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您需要补正的事项如下：".into(),
            );
            let last = items.len() - 1;
            for (i, item) in items.iter().enumerate() {
                let end = if i == last { '。' } else { '；' };
                paragraphs.push(format!("{}、{item}{end}", chinese_number(i + 1)));
            }
            let by = facts.correction_due.map_or_else(
                || "自收到本告知书之日起十五个工作日内".to_string(),
                |d| format!("于{}前（含当日）", chinese_date(d)),
            );
            paragraphs.push(format!(
                "请您{by}一并作出补正。您可以凭申请编号和查询码在本机关政府信息公开平台“办理进度查询”页面在线提交补正，也可以邮寄或者当面提交。"
            ));
            paragraphs.push(
                "答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。".into(),
            );
        }
        LetterKind::Extension => {
            let until = facts.extended_due.map_or_else(
                || "延长后的期限届满前".to_string(),
                |d| format!("{}前", chinese_date(d)),
            );
            paragraphs.push(format!(
                "因您申请的政府信息需要进一步检索、审查，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长二十个工作日，本机关将于{until}作出答复。"
            ));
        }
        LetterKind::Reply(outcome) => {
            let basis: Vec<&str> = if facts.automatic {
                outcome.articles().to_vec()
            } else {
                facts.basis.iter().map(String::as_str).collect()
            };
            if basis.is_empty() && !outcome.articles().is_empty() {
                return Err(LetterError::NoBasis);
            }
            let reasons = facts.reasons.map(clause).filter(|r| !r.is_empty());
            if outcome.needs_reasons() && reasons.is_none() && !facts.automatic {
                return Err(LetterError::NoReasons);
            }
            paragraphs.push("现答复如下：".into());
            paragraphs.push(outcome.letter_decision().to_string());
            if let Some(r) = reasons {
                paragraphs.push(format!("理由：{}", sentence(r)));
            }
            if outcome.names_responsible_agency()
                && let Some(a) = facts.responsible.map(clause).filter(|a| !a.is_empty())
            {
                paragraphs.push(format!("该政府信息由{a}负责公开，您可以向其提出申请。"));
            }
            if !basis.is_empty() {
                paragraphs.push(format!(
                    "根据《中华人民共和国政府信息公开条例》{}的规定，作出上述答复。",
                    basis.join("、")
                ));
            }
        }
    }
    let act = match kind {
        LetterKind::Reply(_) => "本答复",
        LetterKind::Correction | LetterKind::Extension => "本告知",
    };
    paragraphs.push(remedies(
        act,
        clause(&settings.review_body),
        clause(&settings.court),
    ));
    Ok(Letter {
        number,
        title: kind.title().to_string(),
        addressee: format!("{}：", clause(&app.applicant_name)),
        paragraphs,
        agency: agency.to_string(),
        date: chinese_date(on),
        dated: on,
    })
}

impl Letter {
    /// The letter as plain text (title, number, body, signature), one paragraph a line.
    pub fn text(&self) -> String {
        let mut s = format!("{}\n{}\n{}\n", self.title, self.number, self.addressee);
        for p in &self.paragraphs {
            s.push_str(p);
            s.push('\n');
        }
        s.push_str(&self.agency);
        s.push('\n');
        s.push_str(&self.date);
        s.push('\n');
        s
    }
}

/// Why a letter could not be written as DOCX.
#[derive(Debug, thiserror::Error)]
#[error("生成 Word 文书失败：{0}")]
pub struct DocxError(String);

impl DocxError {
    /// The error of a Word file that could not be built, with the writer's message.
    pub fn new(message: impl Into<String>) -> DocxError {
        DocxError(message.into())
    }
}

/// The letter as a Word document in the official-document style (GB/T 9704): 宋体 title,
/// 仿宋 三号 body with a two-character first-line indent, the number centred under the title,
/// the signature and date right-aligned.
pub fn docx(letter: &Letter) -> Result<Vec<u8>, DocxError> {
    use docx_rs::{
        AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
    };
    let fonts = |east_asia: &str| {
        RunFonts::new()
            .east_asia(east_asia)
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman")
    };
    let centred = |text: &str, size: usize, font: &str| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(200))
            .add_run(Run::new().add_text(text).size(size).fonts(fonts(font)))
    };
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin {
            top: 2098,
            left: 1588,
            bottom: 1984,
            right: 1474,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .default_fonts(fonts("仿宋"))
        .default_size(32)
        .add_paragraph(centred(&letter.title, 44, "宋体"))
        .add_paragraph(centred(&letter.number, 32, "仿宋"))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&letter.addressee)));
    for p in &letter.paragraphs {
        doc = doc.add_paragraph(
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .align(AlignmentType::Both)
                .add_run(Run::new().add_text(p)),
        );
    }
    for line in [&letter.agency, SEAL_LINE, &letter.date] {
        doc = doc.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(line)),
        );
    }
    let created = format!("{}T00:00:00Z", letter.dated.format("%Y-%m-%d"));
    doc = doc.created_at(&created).updated_at(&created);
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| DocxError(e.to_string()))?;
    with_author(&buf.into_inner(), &letter.agency, &letter.title)
}

/// The letter as a PDF on GB/T 9704 pages (gongkai-pdf): the same paragraphs as the HTML and
/// DOCX, title and number centred, body with a two-character first-line indent, signature,
/// seal line and date right-aligned; document properties author = the agency, created = the
/// letter's date.
pub fn pdf(letter: &Letter) -> Vec<u8> {
    use gongkai_pdf::{Document, Paragraph};
    let mut doc = Document::new(letter.title.clone(), letter.agency.clone());
    doc.created = Some(letter.dated);
    doc.subject = letter.number.clone();
    doc.push(Paragraph::title(letter.title.clone()));
    doc.push(Paragraph::new(letter.number.clone()).center());
    doc.push(Paragraph::new(letter.addressee.clone()));
    for p in &letter.paragraphs {
        doc.push(Paragraph::body(p.clone()));
    }
    for line in [letter.agency.as_str(), SEAL_LINE, letter.date.as_str()] {
        doc.push(Paragraph::new(line).right());
    }
    doc.render()
}

/// Sets the DOCX's author (`dc:creator`, `cp:lastModifiedBy`) and title in `docProps/core.xml`
/// (also for the 指南's application form): docx-rs writes
/// "unknown" and has no setter, so the package is copied entry by entry with that one part
/// rewritten. The letter's author is the issuing agency, never the software.
pub(crate) fn with_author(docx: &[u8], author: &str, title: &str) -> Result<Vec<u8>, DocxError> {
    use std::io::{Read, Write};
    let err = |e: &dyn std::fmt::Display| DocxError(e.to_string());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(|e| err(&e))?
            .name()
            .map_err(|e| err(&e))?
            .to_string();
        if name != "docProps/core.xml" {
            let entry = archive.by_index_raw(i).map_err(|e| err(&e))?;
            out.raw_copy_file(entry).map_err(|e| err(&e))?;
            continue;
        }
        let mut xml = String::new();
        archive
            .by_index(i)
            .map_err(|e| err(&e))?
            .read_to_string(&mut xml)
            .map_err(|e| err(&e))?;
        let creator = format!("<dc:creator>{}</dc:creator>", xml_escape(author));
        let xml = match (xml.find("<dc:creator>"), xml.find("</dc:creator>")) {
            (Some(a), Some(b)) if a < b => format!(
                "{}{creator}{}",
                &xml[..a],
                &xml[b + "</dc:creator>".len()..]
            ),
            _ => xml.replacen(
                "</cp:coreProperties>",
                &format!("{creator}</cp:coreProperties>"),
                1,
            ),
        };
        let xml = xml.replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            &format!(
                "<cp:lastModifiedBy>{}</cp:lastModifiedBy>",
                xml_escape(author)
            ),
        );
        let xml = if xml.contains("<dc:title>") {
            xml
        } else {
            xml.replacen(
                "</cp:coreProperties>",
                &format!(
                    "<dc:title>{}</dc:title></cp:coreProperties>",
                    xml_escape(title)
                ),
                1,
            )
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(xml.as_bytes()).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "标记理由甲乙丙";

    fn app() -> Application {
        Application {
            id: 1,
            agency_id: 1,
            tracking_no: "YSQ20260302ABCDEF".into(),
            query_code: String::new(),
            channel: gongkai_law::Channel::Online,
            sent_on: None,
            received_on: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            applicant_kind: gongkai_law::ApplicantKind::NaturalPerson,
            applicant_name: "张三".into(),
            id_type: None,
            // A description that ends with its own full stop: the letter quotes it and must
            // not print 「。”。」.
            description: "2025年本县道路改造工程招标文件。".into(),
            document_number: None,
            delivery: "paper".into(),
            status: gongkai_law::ApplicationStatus::Replied,
            outcome: None,
            concluded_on: None,
            due_on: None,
            due_provisional: false,
            due_reason: None,
            note: String::new(),
        }
    }

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 20).expect("date")
    }

    fn settings() -> &'static LetterSettings {
        static S: std::sync::OnceLock<LetterSettings> = std::sync::OnceLock::new();
        S.get_or_init(|| LetterSettings {
            review_body: "甲市人民政府".into(),
            court: "甲县人民法院".into(),
        })
    }

    fn reply(o: Outcome, reasons: Option<&str>, basis: &[String]) -> Result<Letter, LetterError> {
        build(
            LetterKind::Reply(o),
            &app(),
            "甲县人民政府",
            letter_number(LetterKind::Reply(o), "甲县人民政府", 2026, 1),
            on(),
            LetterFacts {
                reasons,
                basis,
                responsible: Some("乙县自然资源局。"),
                settings: Some(settings()),
                ..LetterFacts::default()
            },
        )
    }

    /// Every letter of every kind, with the handler's words ending in their own punctuation.
    fn every_letter() -> Vec<Letter> {
        let items = vec![
            "写明所需信息的名称；".to_string(),
            "写明文件的文号。".to_string(),
        ];
        let mut letters: Vec<Letter> = Outcome::ALL
            .into_iter()
            .map(|o| {
                let basis: Vec<String> = o.articles().iter().map(|a| a.to_string()).collect();
                reply(o, Some(&format!("{MARKER}。")), &basis).expect("reply")
            })
            .collect();
        for (kind, facts) in [
            (
                LetterKind::Correction,
                LetterFacts {
                    correction_items: &items,
                    correction_due: Some(on()),
                    settings: Some(settings()),
                    ..LetterFacts::default()
                },
            ),
            (
                LetterKind::Extension,
                LetterFacts {
                    extended_due: Some(on()),
                    settings: Some(settings()),
                    ..LetterFacts::default()
                },
            ),
        ] {
            letters.push(
                build(
                    kind,
                    &app(),
                    "甲县人民政府",
                    letter_number(kind, "甲县人民政府", 2026, 3),
                    on(),
                    facts,
                )
                .expect("letter"),
            );
        }
        letters
    }

    #[test]
    fn every_reply_prints_the_marker_reason_and_no_reason_of_its_own() {
        for o in Outcome::ALL {
            let basis: Vec<String> = o.articles().iter().map(|a| a.to_string()).collect();
            let letter = reply(o, Some(MARKER), &basis).expect("reply");
            let text = letter.text();
            // The reasons appear once, as written; every other paragraph is one the law or the
            // handler fixed: the application, the decision of the outcome, the basis chosen,
            // the responsible agency named, the remedies.
            assert_eq!(text.matches(MARKER).count(), 1, "{o:?}: {text}");
            let mut expected = vec![
                letter.paragraphs[0].clone(),
                "现答复如下：".to_string(),
                o.letter_decision().to_string(),
                format!("理由：{MARKER}。"),
            ];
            if o == Outcome::UnableNotHeld {
                expected.push("该政府信息由乙县自然资源局负责公开，您可以向其提出申请。".into());
            }
            if !basis.is_empty() {
                expected.push(format!(
                    "根据《中华人民共和国政府信息公开条例》{}的规定，作出上述答复。",
                    basis.join("、")
                ));
            }
            expected.push(remedies("本答复", "甲市人民政府", "甲县人民法院"));
            assert_eq!(letter.paragraphs, expected, "{o:?}");
            assert!(letter.paragraphs[0].starts_with("本机关于2026年3月2日收到"));
            // Without reasons a reply that needs them does not print; no text stands in.
            if o.needs_reasons() {
                assert_eq!(reply(o, None, &basis), Err(LetterError::NoReasons), "{o:?}");
                assert_eq!(reply(o, Some("  "), &basis), Err(LetterError::NoReasons));
            }
            if !basis.is_empty() {
                assert_eq!(reply(o, Some(MARKER), &[]), Err(LetterError::NoBasis));
            }
        }
        // The letter cites only the basis chosen.
        let one = vec!["第三十六条第（二）项".to_string()];
        let letter = reply(Outcome::Disclosed, None, &one).expect("disclosed");
        assert!(!letter.text().contains("第三十六条第（一）项"));
        assert!(!letter.text().contains("理由："));
    }

    #[test]
    fn no_letter_doubles_its_punctuation() {
        const MARKS: [char; 10] = ['。', '，', '；', '：', '、', '！', '？', '.', ',', ';'];
        for letter in every_letter() {
            let text = letter.text();
            let chars: Vec<char> = text.chars().collect();
            for w in chars.windows(2) {
                assert!(
                    !(MARKS.contains(&w[0]) && MARKS.contains(&w[1])),
                    "{}{} in {text}",
                    w[0],
                    w[1]
                );
            }
            for w in chars.windows(3) {
                assert!(
                    !(MARKS.contains(&w[0])
                        && matches!(w[1], '”' | '）' | '」')
                        && MARKS.contains(&w[2])),
                    "{}{}{} in {text}",
                    w[0],
                    w[1],
                    w[2]
                );
            }
        }
    }

    #[test]
    fn the_pdf_says_the_same_words() {
        for letter in every_letter() {
            let bytes = pdf(&letter);
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("letter.pdf");
            std::fs::write(&path, &bytes).expect("write");
            let out = std::process::Command::new("pdftotext")
                .arg("-enc")
                .arg("UTF-8")
                .arg(&path)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils; scripts/test installs it)");
            // Lines wrap anywhere in Chinese text: compare without line breaks and spaces.
            let flat = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let text = flat(&String::from_utf8_lossy(&out.stdout));
            for needle in [&letter.title, &letter.number, &letter.agency, &letter.date] {
                assert!(text.contains(&flat(needle)), "{needle} in {text}");
            }
            for p in &letter.paragraphs {
                assert!(text.contains(&flat(p)), "{p} in {text}");
            }
            let raw = String::from_utf8_lossy(&bytes);
            assert!(
                raw.contains("/CreationDate") && raw.contains("D:20260320"),
                "created"
            );
        }
    }

    #[test]
    fn numbers_follow_gb_t_9704() {
        assert_eq!(
            letter_number(
                LetterKind::Reply(Outcome::Disclosed),
                "夏邑县人民政府",
                2026,
                1
            ),
            "夏政公开〔2026〕1号"
        );
        assert_eq!(
            letter_number(LetterKind::Correction, "夏邑县人民政府", 2026, 120),
            "夏政公开补〔2026〕120号"
        );
    }

    #[test]
    fn the_correction_notice_lists_every_item_at_once() {
        let letter = every_letter()
            .into_iter()
            .find(|l| l.title.contains("补正"))
            .expect("notice");
        let text = letter.text();
        assert!(
            text.contains("一、写明所需信息的名称；\n二、写明文件的文号。\n"),
            "{text}"
        );
        assert!(text.contains("于2026年3月20日前（含当日）"), "{text}");
        assert!(text.contains("一次性告知"));
        let none = build(
            LetterKind::Correction,
            &app(),
            "甲县人民政府",
            "x".into(),
            on(),
            LetterFacts {
                settings: Some(settings()),
                ..LetterFacts::default()
            },
        );
        assert_eq!(none, Err(LetterError::NoCorrectionItems));
    }

    #[test]
    fn no_letter_prints_without_the_review_body_and_the_court() {
        let basis = vec!["第三十七条".to_string()];
        for kind in [
            LetterKind::Correction,
            LetterKind::Extension,
            LetterKind::Reply(Outcome::PartiallyDisclosed),
        ] {
            let facts = LetterFacts {
                reasons: Some(MARKER),
                basis: &basis,
                extended_due: Some(on()),
                ..LetterFacts::default()
            };
            let r = build(kind, &app(), "甲县人民政府", "x".into(), on(), facts);
            assert_eq!(r, Err(LetterError::NoRemedyBodies), "{kind:?}");
        }
        let letter = reply(Outcome::PartiallyDisclosed, Some(MARKER), &basis).expect("letter");
        assert!(
            letter
                .text()
                .contains("六十日内向甲市人民政府申请行政复议，或者自收到本答复之日起六个月内向甲县人民法院提起行政诉讼")
        );
    }

    #[test]
    fn the_word_file_names_the_agency_as_author_and_the_letter_date() {
        let letter = every_letter().remove(1);
        let bytes = docx(&letter).expect("docx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
        let mut core = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("docProps/core.xml").expect("core"),
            &mut core,
        )
        .expect("read");
        assert!(
            core.contains("<dc:creator>甲县人民政府</dc:creator>"),
            "{core}"
        );
        assert!(core.contains("2026-03-20T00:00:00Z"), "{core}");
        assert!(!core.contains("unknown"), "{core}");
        let doc = docx_rs::read_docx(&bytes).expect("read").json();
        assert!(doc.contains(MARKER) && doc.contains(SEAL_LINE));
        // For looking at the letter as printed (LibreOffice → PDF → PNG).
        if let Ok(dir) = std::env::var("GONGKAI_SCREENSHOTS") {
            std::fs::write(format!("{dir}/reply.docx"), &bytes).expect("write");
            std::fs::write(format!("{dir}/reply.pdf"), pdf(&letter)).expect("write");
        }
    }
}
