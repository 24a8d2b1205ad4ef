//! SVG bar charts for the annual report page, drawn with plotters' SVG backend.
//!
//! Only the SVG backend is compiled in: no font files to ship and no font discovery at run
//! time. Plotters' SVG backend writes text as SVG `<text>` elements that the browser lays out
//! with the page's CJK fonts, so labels are placed at fixed coordinates (right-aligned before
//! each bar) rather than measured. Each chart is an `<svg role="img">` with `<title>` and
//! `<desc>`; the page repeats the same numbers in a table for screen readers and printing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 760;
const LABEL_W: i32 = 300;
const ROW_H: i32 = 34;
const TOP: i32 = 12;
const BAR: RGBColor = RGBColor(0xa4, 0x16, 0x1a);
const TEXT: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);

/// What can go wrong drawing a chart (only the backend's own errors).
#[derive(Debug, thiserror::Error)]
#[error("绘图失败 / drawing failed: {0}")]
pub struct ChartError(String);

/// Escapes text for SVG element content and attributes.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Shortens a label to `max` characters (the table beside the chart has the full text).
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A horizontal bar chart of `data` (label, value) as an accessible SVG string. `id` must be
/// unique on the page; `title` and `desc` become the chart's `<title>` and `<desc>`.
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    data: &[(String, i64)],
) -> Result<String, ChartError> {
    let rows = data.len().max(1) as i32;
    let height = (TOP * 2 + rows * ROW_H) as u32;
    let max = data.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let bar_space = WIDTH as i32 - LABEL_W - 70;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let e = |e: DrawingAreaErrorKind<_>| ChartError(e.to_string());
        root.fill(&WHITE).map_err(e)?;
        let font = ("sans-serif", 19).into_font().color(&TEXT);
        if data.is_empty() {
            root.draw(&Text::new(
                "暂无数据".to_string(),
                (LABEL_W, TOP + ROW_H / 2),
                font.clone(),
            ))
            .map_err(e)?;
        }
        for (i, (label, value)) in data.iter().enumerate() {
            let y = TOP + i as i32 * ROW_H;
            let mid = y + ROW_H / 2;
            // The SVG backend escapes text content itself (checked by a test below).
            let label_style = font.pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(
                short(label, 18),
                (LABEL_W - 8, mid),
                label_style,
            ))
            .map_err(e)?;
            let w = ((*value as f64 / max as f64) * bar_space as f64).round() as i32;
            root.draw(&Rectangle::new(
                [(LABEL_W, y + 6), (LABEL_W + w.max(1), y + ROW_H - 6)],
                BAR.filled(),
            ))
            .map_err(e)?;
            let value_style = font.pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(
                value.to_string(),
                (LABEL_W + w + 6, mid),
                value_style,
            ))
            .map_err(e)?;
        }
        root.present().map_err(e)?;
    }
    Ok(accessible(&svg, id, title, desc))
}

/// Adds `role="img"`, `aria-labelledby` and the `<title>`/`<desc>` children to the root
/// `<svg>` element plotters wrote.
fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>').map(|i| start + i) else {
        return svg.to_string();
    };
    let open = &svg[start..end];
    format!(
        "{open} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape(title),
        escape(desc),
        &svg[end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_cjk_labels_as_svg_text_with_title_and_desc() {
        let svg = bar_chart(
            "c1",
            "按答复结果",
            "予以公开 3 件",
            &[("予以公开".into(), 3), ("部分公开 <b>".into(), 1)],
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"c1-title\">按答复结果</title>"));
        assert!(svg.contains("<desc id=\"c1-desc\">"));
        assert!(
            svg.contains("予以公开"),
            "CJK text is written as <text>: {svg}"
        );
        assert!(
            svg.contains("&lt;b&gt;") && !svg.contains("<b>") && !svg.contains("&amp;lt;"),
            "{svg}"
        );
        assert!(svg.contains("<rect"));
    }

    #[test]
    fn empty_data_says_so() {
        let svg = bar_chart("c2", "t", "d", &[]).unwrap();
        assert!(svg.contains("暂无数据"));
    }
}
