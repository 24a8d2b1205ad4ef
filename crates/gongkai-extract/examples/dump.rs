//! Prints what the readers see in a file: `cargo run -p gongkai-extract --example dump -- FILE`
//! (runs with positions for a PDF, blocks for a .docx, rows for a .xlsx).
#![allow(missing_docs)]

use gongkai_extract::{Budget, read_docx, read_html, read_pdf, read_text, read_xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump FILE")?;
    let data = std::fs::read(&path)?;
    let b = Budget::default();
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".pdf") {
        let pdf = read_pdf(&path, &data, &b)?;
        for page in &pdf.pages {
            for r in &page.runs {
                println!(
                    "p{} x={:.1} y={:.1} w={:.1} size={:.1} {:?}",
                    r.page, r.x, r.y, r.width, r.font_size, r.text
                );
            }
            println!("--- lines of page {}", page.number);
            for l in page.lines() {
                println!("{l}");
            }
        }
    } else if lower.ends_with(".docx") {
        for block in read_docx(&path, &data, &b)?.blocks {
            println!("{block:?}");
        }
    } else if lower.ends_with(".xlsx") {
        for sheet in read_xlsx(&path, &data, &b)?.sheets {
            println!("--- {}", sheet.name);
            for row in sheet.rows() {
                println!("{}", row.join("\t"));
            }
        }
    } else if lower.ends_with(".html") || lower.ends_with(".htm") {
        println!("{}", read_html(&path, &data, &b)?);
    } else {
        println!("{}", read_text(&path, &data, &b)?);
    }
    Ok(())
}
