//! Reads each hostile file of issue 12, at the security probe's sizes, under the default
//! budget, and prints what happened and how long it took. Run under `/usr/bin/time -v` for
//! the peak memory:
//! `/usr/bin/time -v cargo run -q -p gongkai-extract --features hostile --example hostile_peak`
//!
//! With `--write DIR` it only writes the files into DIR (for scripts/hostile-load.sh, which
//! uploads them to a running server).
#![allow(missing_docs)]

use std::time::Instant;

use gongkai_extract::{Budget, hostile, read_docx, read_pdf, read_xlsx};

fn main() {
    let b = Budget::default();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("sparse A1+XFD1048576 .xlsx", hostile::sparse_xlsx()),
        (
            "nine 50 MiB header parts .docx",
            hostile::many_part_docx(9, 50 * 1024 * 1024),
        ),
        (
            "four entries on one 40 MiB stream .docx",
            hostile::overlapping_docx(4, 40 * 1024 * 1024),
        ),
        ("XML nested 100,000 deep .docx", hostile::deep_docx(100_000)),
        (
            "200 MiB object stream .pdf",
            hostile::objstm_bomb_pdf(200 * 1024 * 1024),
        ),
    ];
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir] = args.as_slice()
        && flag == "--write"
    {
        let names = [
            "sparse.xlsx",
            "many-part.docx",
            "overlapping.docx",
            "deep.docx",
            "objstm.pdf",
        ];
        for (name, (_, bytes)) in names.iter().zip(&files) {
            let path = std::path::Path::new(dir).join(name);
            if let Err(e) = std::fs::write(&path, bytes) {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
            println!("{} {}", path.display(), bytes.len());
        }
        return;
    }
    for (what, bytes) in files {
        let started = Instant::now();
        let outcome = if what.ends_with(".xlsx") {
            read_xlsx(what, &bytes, &b).map(|_| ())
        } else if what.ends_with(".pdf") {
            read_pdf(what, &bytes, &b).map(|_| ())
        } else {
            read_docx(what, &bytes, &b).map(|_| ())
        };
        let took = started.elapsed();
        match outcome {
            Ok(()) => println!("{what}: {} bytes, READ in {took:?}", bytes.len()),
            Err(e) => println!("{what}: {} bytes, refused in {took:?}: {e}", bytes.len()),
        }
    }
}
