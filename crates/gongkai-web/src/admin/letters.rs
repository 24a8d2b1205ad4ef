//! The numbered letters of an application: 补正告知书 (Art. 30), 延期答复告知书 (Art. 33 ¶2) and
//! the 答复书 of each outcome, which cites the articles the outcome rests on
//! ([`Outcome::articles`]), states the decision and its reasons
//! ([`Outcome::letter_decision`]), names the responsible agency where Art. 36(5) asks for it,
//! and states the remedies ([`REMEDIES`]).
//!
//! The letter is built once as plain paragraphs ([`Letter`]) and rendered as HTML by the case
//! page's template, so every format says the same words.

use chrono::NaiveDate;
use gongkai_law::Outcome;
use gongkai_law::outcome::REMEDIES;
use gongkai_store::models::Application;

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

/// A letter as paragraphs, ready for any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// 文号, e.g. `甲政公开〔2026〕第0001号`.
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
}

/// The letter number: the first character of the agency's name (its 简称), the kind's series
/// character, the year and the serial per agency, year and kind
/// (`甲政公开补〔2026〕第0001号`, `甲政公开〔2026〕第0001号`).
pub fn letter_number(kind: LetterKind, agency: &str, year: i32, serial: i64) -> String {
    let short: String = agency.chars().take(1).collect();
    format!("{short}政公开{}〔{year}〕第{serial:04}号", kind.series())
}

fn chinese_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// What a letter says beyond the application itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct LetterFacts<'a> {
    /// The new deadline (extension letters).
    pub extended_due: Option<NaiveDate>,
    /// The handler's reasons (replies that withhold, decline or cannot provide); a standard
    /// sentence stands in when none were written.
    pub reasons: Option<&'a str>,
    /// The agency responsible for the information (Art. 36(5)).
    pub responsible: Option<&'a str>,
}

/// Builds a letter for `app`, issued on `on`.
pub fn build(
    kind: LetterKind,
    app: &Application,
    agency: &str,
    number: String,
    on: NaiveDate,
    facts: LetterFacts<'_>,
) -> Letter {
    let LetterFacts {
        extended_due,
        reasons,
        responsible,
    } = facts;
    let received = chinese_date(app.received_on);
    let intro = format!(
        "本机关于{received}收到您提交的政府信息公开申请（申请编号：{}），您申请获取“{}”。",
        app.tracking_no, app.description
    );
    let mut paragraphs = vec![intro];
    match kind {
        LetterKind::Correction => {
            paragraphs.push(
                "经审查，您的申请内容不明确，本机关无法确定您所需要的政府信息。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您自收到本告知书之日起十五个工作日内对申请作出补正，写明所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。".into(),
            );
            paragraphs.push(
                "答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。".into(),
            );
        }
        LetterKind::Extension => {
            let until = extended_due.map_or_else(
                || "延长后的期限届满前".to_string(),
                |d| format!("{}前", chinese_date(d)),
            );
            paragraphs.push(format!(
                "因您申请的政府信息需要进一步检索、审查，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长二十个工作日，本机关将于{until}作出答复。"
            ));
        }
        LetterKind::Reply(outcome) => {
            paragraphs.push("现答复如下：".into());
            paragraphs.push(outcome.letter_decision().to_string());
            let arts = outcome.articles();
            if !arts.is_empty() {
                paragraphs.push(format!(
                    "根据《中华人民共和国政府信息公开条例》{}的规定，作出上述答复。",
                    arts.join("、")
                ));
            }
            if outcome.needs_reasons() {
                paragraphs.push(format!(
                    "理由：{}",
                    match (reasons, outcome) {
                        (Some(r), _) => r,
                        (None, Outcome::PartiallyDisclosed) =>
                            "您申请的政府信息中含有依法不应当公开的内容（涉及个人隐私等第三方合法权益），该部分已作区分处理，不予公开；其余部分予以提供。",
                        (None, _) => "详见上述答复意见。",
                    }
                ));
            }
            if outcome.names_responsible_agency() {
                paragraphs.push(match responsible {
                    Some(a) => format!("该政府信息由{a}负责公开，您可以向其提出申请。"),
                    None => "本机关无法确定负责公开该政府信息的行政机关。".to_string(),
                });
            }
        }
    }
    paragraphs.push(REMEDIES.to_string());
    Letter {
        number,
        title: kind.title().to_string(),
        addressee: format!("{}：", app.applicant_name),
        paragraphs,
        agency: agency.to_string(),
        date: chinese_date(on),
    }
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
    for line in [&letter.agency, &letter.date] {
        doc = doc.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(line)),
        );
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| DocxError(e.to_string()))?;
    Ok(buf.into_inner())
}
