//! Hostile files, built in memory, for the tests of every reader of the product (feature
//! `hostile`): each is small on disk and would cost gigabytes or minutes to a reader without a
//! budget. They are the files of the security probe of issue 12.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, bytes) in parts {
        zip.start_file(*name, opts).expect("zip in memory");
        zip.write_all(bytes).expect("zip in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

/// A valid .xlsx with one sheet.
pub fn xlsx_with_sheet(sheet_xml: &str) -> Vec<u8> {
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", root_rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet_xml.as_bytes()),
    ])
}

/// The probe's 1.5 KB .xlsx: cells A1 and XFD1048576, so the declared range is the whole
/// 16,384 × 1,048,576 grid.
pub fn sparse_xlsx() -> Vec<u8> {
    xlsx_with_sheet(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#,
    )
}

/// A .docx whose body is `body` (the inside of `<w:body>`).
pub fn docx_with_body(body: &str) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ])
}

/// The probe's many-part .docx: `parts` header parts of `part_bytes` bytes of text each
/// (nine of 50 MiB fit in under half a megabyte).
pub fn many_part_docx(parts: usize, part_bytes: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(part_bytes > u32::MAX as usize / 2);
    let doc = format!(
        r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#
    );
    zip.start_file("word/document.xml", opts)
        .expect("zip in memory");
    zip.write_all(doc.as_bytes()).expect("zip in memory");
    let chunk = vec![b'a'; 64 * 1024];
    for i in 1..=parts {
        zip.start_file(format!("word/header{i}.xml"), opts)
            .expect("zip in memory");
        zip.write_all(format!(r#"<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>"#).as_bytes())
            .expect("zip in memory");
        let mut left = part_bytes;
        while left > 0 {
            let n = left.min(chunk.len());
            zip.write_all(&chunk[..n]).expect("zip in memory");
            left -= n;
        }
        zip.write_all(b"</w:t></w:r></w:p></w:hdr>")
            .expect("zip in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

/// The probe's overlapping .docx: `copies` central directory entries (header1.xml,
/// header2.xml …) all pointing at one deflated stream of `part_bytes` bytes of text.
pub fn overlapping_docx(copies: usize, part_bytes: usize) -> Vec<u8> {
    let mut body = format!(r#"<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>"#).into_bytes();
    body.resize(body.len() + part_bytes, b'a');
    body.extend_from_slice(b"</w:t></w:r></w:p></w:hdr>");
    let doc = format!(
        r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#
    );
    // Built as a normal zip of two entries, then the second entry's central record is
    // repeated under other names, every copy pointing at the same local header.
    let base = zip_of(&[
        ("word/document.xml", doc.as_bytes()),
        ("word/header1.xml", &body),
    ]);
    let eocd = base.len() - 22;
    let cd_start =
        u32::from_le_bytes(base[eocd + 16..eocd + 20].try_into().expect("4 bytes")) as usize;
    let first_len = 46 + u16::from_le_bytes([base[cd_start + 28], base[cd_start + 29]]) as usize;
    let second = &base[cd_start + first_len..eocd];
    let mut out = base[..eocd].to_vec();
    for i in 2..=copies {
        let name = format!("word/header{i}.xml");
        let mut rec = second[..46].to_vec();
        rec[28..30].copy_from_slice(&(name.len() as u16).to_le_bytes());
        rec[30..32].copy_from_slice(&0u16.to_le_bytes());
        rec.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&rec);
    }
    let cd_len = out.len() - cd_start;
    let entries = (copies + 1) as u16;
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&(cd_len as u32).to_le_bytes());
    out.extend_from_slice(&(cd_start as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A .docx whose body nests `depth` elements inside each other.
pub fn deep_docx(depth: usize) -> Vec<u8> {
    let mut body = String::with_capacity(depth * 7);
    for _ in 0..depth {
        body.push_str("<w:x>");
    }
    for _ in 0..depth {
        body.push_str("</w:x>");
    }
    docx_with_body(&body)
}

/// A one-page PDF whose object stream inflates to `inflated_bytes` (spaces after one small
/// object): tens of kilobytes on disk.
pub fn objstm_bomb_pdf(inflated_bytes: usize) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(b"5 0\n<< /A 1 >>").expect("in memory");
    let chunk = vec![b' '; 64 * 1024];
    let mut left = inflated_bytes;
    while left > 0 {
        let n = left.min(chunk.len());
        z.write_all(&chunk[..n]).expect("in memory");
        left -= n;
    }
    let stream = z.finish().expect("in memory");
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
    ];
    let mut objstm = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    objstm.extend_from_slice(&stream);
    objstm.extend_from_slice(b"\nendstream");
    objects.push(objstm);
    pdf_of(&objects)
}

/// A PDF of the given objects (numbered from 1, the first the catalogue), with a correct
/// cross-reference table.
pub fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
