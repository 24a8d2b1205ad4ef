//! HTML to text, for pages and attachments converted to HTML.

/// Tags that end a line of text where they open or close.
const BLOCKS: [&str; 30] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "title",
    "tr",
    "ul",
];

/// The visible text of an HTML page or fragment: tags dropped (block tags end a line, table
/// cells are separated by a tab, so neighbouring cells' digits never join into one number),
/// `<script>`, `<style>` and comments dropped with their content, character references decoded
/// (`&nbsp;` becomes a space, `&#12345;` and `&#x3000;` their characters; an unknown `&name;`
/// stays as written). Never fails: broken markup yields its best reading.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            let (decoded, used) = entity(rest);
            match decoded {
                Some(c) => out.push(c),
                None => out.push('&'),
            }
            rest = &rest[used..];
            continue;
        }
        // A '<' that does not open a tag is text.
        let after = rest[1..].chars().next();
        if !after.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |e| &body[e + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            // An unterminated tag: nothing after it is visible.
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let end_tag = format!("</{name}");
            rest = find_ascii_ci(rest, &end_tag)
                .and_then(|e| rest[e..].find('>').map(|g| &rest[e + g + 1..]))
                .unwrap_or("");
            continue;
        }
        if (name == "td" || name == "th") && !tag.starts_with('/') {
            out.push('\t');
        } else if BLOCKS.contains(&name.as_str()) && !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str(rest);
    out
}

/// Byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Decodes the character reference at the start of `s` (which starts with '&'): the character
/// (None when not a reference) and the bytes used (1 when not a reference).
fn entity(s: &str) -> (Option<char>, usize) {
    let Some(semi) = s
        .get(1..)
        .and_then(|t| t.char_indices().take(10).find(|&(_, c)| c == ';'))
    else {
        return (None, 1);
    };
    let body = &s[1..1 + semi.0];
    let c = match body {
        "nbsp" | "ensp" | "emsp" | "thinsp" => Some(' '),
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "middot" => Some('·'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        "mdash" => Some('—'),
        "ndash" => Some('–'),
        _ => body
            .strip_prefix('#')
            .and_then(|num| match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            })
            .and_then(char::from_u32),
    };
    match c {
        Some(c) => (Some(c), semi.0 + 2),
        None => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn strips_and_decodes() {
        let t = html_to_text(
            "<html><head><title>公示</title><style>p{color:red}</style>\
             <script>var a = '13812345678';</script></head><body><!-- 13912345678 -->\
             <p>电话&nbsp;138&#45;1234-5678 &amp; &lt;b&gt; &unknown; 1 < 2</p>\
             <table><tr><td>张三</td><td>男</td></tr></table></body></html>",
        );
        assert_eq!(
            t,
            "\n公示\n电话 138-1234-5678 & <b> &unknown; 1 < 2\n\t张三\t男\n"
        );
    }
}
