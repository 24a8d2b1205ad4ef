//! Renders a canonical JSON report to a file, the format chosen by the output's extension.
//!
//! ```text
//! cargo run -p gongkai-report --example render -- report.json out.docx
//! ```
//!
//! A stand-in for `gongkai report render` for scripts that run before the binary has it.

use gongkai_report::{Report, render};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("用法 / usage: render REPORT.json OUTPUT.{{json,txt,md,html,docx,xlsx}}");
        return ExitCode::from(2);
    };
    let json = match std::fs::read_to_string(input) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("无法读取 {input} / cannot read {input}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match Report::from_json(&json) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{input} 不是有效的报告 JSON / is not a canonical report JSON: {e}");
            return ExitCode::from(2);
        }
    };
    match render::to_file(&report, &PathBuf::from(output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
