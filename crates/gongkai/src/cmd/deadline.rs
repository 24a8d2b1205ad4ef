//! `gongkai deadline`: the reply deadline of an application and its trail; see
//! `spec/legal-clock.md`.

use super::Global;
use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use gongkai_law::{Channel, ClockEvent, Deadlines, TrailKind, compute, weekday_zh};
use serde::Serialize;
use std::io::Write as _;
use std::process::ExitCode;

/// Arguments of `gongkai deadline`.
///
/// Dates are `YYYY-MM-DD`. Options are checked here rather than by clap so that bad input
/// gives one line naming the option at fault.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day the application arrived or was handed in (申请到达日期).
    #[arg(long, value_name = "DATE")]
    pub received: Option<String>,
    /// How it came: in-person (当面提交), post (需签收的邮件), letter (平常信函), online,
    /// fax, email. Default: in-person.
    #[arg(long, value_name = "CHANNEL")]
    pub channel: Option<String>,
    /// The day the agency signed for it (post) or confirmed it with the applicant (letter,
    /// online, fax, email): the legal receipt date (Art. 31).
    #[arg(long, value_name = "DATE")]
    pub confirmed: Option<String>,
    /// The day the 补正 notice went out (with --corrected).
    #[arg(long, value_name = "DATE")]
    pub correction_notice: Option<String>,
    /// The day the corrected application arrived: the 20 days restart from it.
    #[arg(long, value_name = "DATE")]
    pub corrected: Option<String>,
    /// A consultation letter (or fee notice) sent on SENT, answered (or paid) on ANSWERED:
    /// the days after SENT through ANSWERED are not counted. Repeatable.
    #[arg(long, value_name = "SENT:ANSWERED")]
    pub pause: Vec<String>,
    /// The extension (延期) was approved: 20 more working days after the original end.
    #[arg(long)]
    pub extend: bool,
    /// Print JSON: received, due, provisional, reason, correction_notice_due, extended_due,
    /// trail.
    #[arg(long)]
    pub json: bool,
}

fn date(flag: &str, value: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("{flag}: “{value}” 不是有效日期，应为 YYYY-MM-DD"))
}

/// The events the options describe, and whether the confirmation date was assumed.
fn events(args: &Args) -> anyhow::Result<(Vec<ClockEvent>, bool)> {
    let arrived = date(
        "--received",
        args.received
            .as_deref()
            .ok_or_else(|| anyhow!("--received: 缺少申请到达日期（YYYY-MM-DD）"))?,
    )?;
    let channel = match args.channel.as_deref() {
        None => Channel::InPerson,
        Some(s) => Channel::parse(s).ok_or_else(|| {
            anyhow!("--channel: 未知的提交方式 “{s}”，应为 in-person、post、letter、online、fax 或 email")
        })?,
    };
    let confirmed = args
        .confirmed
        .as_deref()
        .map(|s| date("--confirmed", s))
        .transpose()?;
    // Without a confirmation date, the application is taken as confirmed the day it arrived.
    let assumed = confirmed.is_none() && channel.needs_confirmation();
    let confirmed = if assumed { Some(arrived) } else { confirmed };
    let received = channel
        .receipt_date(arrived, confirmed)
        .map_err(|e| anyhow!("--confirmed: {e}"))?;
    let mut events = vec![ClockEvent::Received {
        channel,
        arrived,
        confirmed,
    }];
    let not_before_receipt = |flag: &str, d: NaiveDate| -> anyhow::Result<NaiveDate> {
        if d < received {
            bail!("{flag}: {d} 早于收到申请之日 {received}");
        }
        Ok(d)
    };
    match (&args.correction_notice, &args.corrected) {
        (Some(n), Some(c)) => {
            let notice =
                not_before_receipt("--correction-notice", date("--correction-notice", n)?)?;
            let corrected = date("--corrected", c)?;
            if corrected < notice {
                bail!("--corrected: {corrected} 早于补正告知日期 {notice}");
            }
            events.push(ClockEvent::CorrectionNoticeSent { on: notice });
            events.push(ClockEvent::CorrectedApplicationReceived { on: corrected });
        }
        (Some(_), None) => {
            bail!("--corrected: 给出 --correction-notice 时须同时给出收到补正申请的日期")
        }
        (None, Some(_)) => {
            bail!("--correction-notice: 给出 --corrected 时须同时给出补正告知的日期")
        }
        (None, None) => {}
    }
    for p in &args.pause {
        let (sent, answered) = p.split_once(':').ok_or_else(|| {
            anyhow!("--pause: “{p}” 应为 SENT:ANSWERED，例如 2024-04-08:2024-04-26")
        })?;
        let sent = not_before_receipt("--pause", date("--pause", sent)?)?;
        let answered = date("--pause", answered)?;
        if answered < sent {
            bail!("--pause: 答复日期 {answered} 早于发出日期 {sent}");
        }
        events.push(ClockEvent::Paused { sent, answered });
    }
    if args.extend {
        events.push(ClockEvent::ExtensionApproved { on: None });
    }
    Ok((events, assumed))
}

/// Runs `gongkai deadline`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let (events, assumed) = events(&args)?;
    let calendar = super::calendar::in_force(&global.data_dir)?;
    let clock = compute(&calendar, &events).context("--received")?;
    let out = if args.json {
        serde_json::to_string_pretty(&json(&clock))? + "\n"
    } else {
        text(&clock, assumed)
    };
    // A reader that stops early (`| head`) is not an error.
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The JSON of the spec, keys in the spec's order: `due` is the end of the 20 working days,
/// `extended_due` the end of the extension.
#[derive(Serialize)]
struct Json<'a> {
    received: NaiveDate,
    due: Option<NaiveDate>,
    provisional: bool,
    reason: Option<&'a str>,
    correction_notice_due: NaiveDate,
    extended_due: Option<NaiveDate>,
    trail: Vec<JsonDay>,
}

#[derive(Serialize)]
struct JsonDay {
    date: NaiveDate,
    kind: &'static str,
    n: Option<u32>,
}

fn json(c: &Deadlines) -> Json<'_> {
    Json {
        received: c.received,
        due: c.original_due,
        provisional: c.provisional,
        reason: c.reason.as_deref(),
        correction_notice_due: c.correction_notice_due,
        extended_due: c.extended_due,
        trail: c
            .trail
            .iter()
            .map(|t| JsonDay {
                date: t.date,
                kind: t.kind.key(),
                n: t.n,
            })
            .collect(),
    }
}

fn day(d: NaiveDate) -> String {
    format!("{d}（{}）", weekday_zh(d))
}

fn text(c: &Deadlines, assumed: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    match c.original_due {
        Some(due) => line(format!(
            "答复期限：{}{}",
            day(due),
            if c.provisional { "（暂定）" } else { "" }
        )),
        None => line("答复期限：暂无（等待申请人）".to_string()),
    }
    if let Some(ext) = c.extended_due {
        line(format!(
            "延期后答复期限：{}（原期限届满后再延长20个工作日，第三十三条）",
            day(ext)
        ));
    }
    let mut received = format!(
        "收到申请之日：{}，{}，{}",
        day(c.received),
        c.channel.label(),
        c.channel.receipt_rule()
    );
    if c.arrived != c.received {
        let _ = write!(received, "（到达日期 {}）", c.arrived);
    }
    if assumed {
        received.push_str("（未给出 --confirmed，按到达当日确认计算）");
    }
    line(received);
    line(format!(
        "补正告知最迟于：{}（收到申请后7个工作日内，第三十条）",
        day(c.correction_notice_due)
    ));
    if c.period_start != c.received {
        line(format!(
            "收到补正后的申请：{}，答复期限自该日重新计算（第三十条）",
            day(c.period_start)
        ));
    }
    for p in &c.pauses {
        if let (Some(answered), Some(last)) = (p.answered, p.last_paused) {
            line(format!(
                "暂停：{} 发出，{} 答复或缴费；{} 次日至 {} 不计入答复期限（第三十三条）",
                p.sent, answered, p.sent, last
            ));
        }
    }
    if let Some(reason) = &c.reason {
        line(format!("暂定：{reason}"));
    }
    for n in &c.notes {
        line(format!("注意：{}", n.text()));
    }
    line(String::new());
    line(format!(
        "计算过程（{} 为起算日，不计入；其后的工作日依次计数）：",
        c.period_start
    ));
    for t in &c.trail {
        let name = t.name.as_deref().unwrap_or("");
        let what = match (t.kind, t.n) {
            (TrailKind::Counted, Some(n)) => format!("第{n}个工作日"),
            (TrailKind::Makeup, Some(n)) => format!("第{n}个工作日（调休上班：{name}）"),
            (TrailKind::Holiday, _) => format!("节假日：{name}，不计"),
            (TrailKind::Weekend, _) => "周末，不计".to_string(),
            (TrailKind::Paused, _) => "暂停期间，不计".to_string(),
            (TrailKind::Provisional, Some(n)) => {
                format!("第{n}个工作日（该年安排未知，暂按工作日）")
            }
            (TrailKind::Provisional, None) => "周末（该年安排未知，暂按休息日）".to_string(),
            (_, None) => "不计".to_string(),
        };
        let mark = if Some(t.date) == c.extended_due {
            " ← 延期后答复期限"
        } else if Some(t.date) == c.original_due {
            " ← 答复期限"
        } else {
            ""
        };
        line(format!("  {} {}  {what}{mark}", t.date, weekday_zh(t.date)));
    }
    line(String::new());
    line(gongkai_law::calendar::DATA_ATTRIBUTION.to_string());
    out
}
