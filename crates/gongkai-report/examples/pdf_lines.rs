//! Prints the lines the report parser reads from a PDF (its positioned text grouped into lines,
//! cells separated by tabs): what to look at when a PDF reads wrongly.
//!
//! usage: cargo run -p gongkai-report --example pdf_lines -- FILE.pdf
#![allow(clippy::print_stdout)]

use gongkai_report::parse::{Run, lines_from_runs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: pdf_lines FILE.pdf")?;
    let data = std::fs::read(&path)?;
    let pdf = gongkai_extract::read_pdf(&path, &data, &gongkai_extract::Budget::default())?;
    let runs: Vec<Run> = pdf
        .runs()
        .map(|r| Run {
            page: r.page,
            x: r.x,
            y: r.y,
            width: r.width,
            size: r.font_size,
            text: r.text.clone(),
        })
        .collect();
    if std::env::var_os("RUNS").is_some() {
        for r in &runs {
            println!(
                "{} {:7.1} {:7.1} {:6.1} {:4.1} {}",
                r.page, r.x, r.y, r.width, r.size, r.text
            );
        }
        return Ok(());
    }
    for l in lines_from_runs(&runs) {
        println!("{}", l.replace('\t', " | "));
    }
    Ok(())
}
