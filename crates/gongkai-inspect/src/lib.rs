//! 网上巡查: inspects one government website as 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号)
//! asks, and says whether it passes (合格) or fails a single-veto item (单项否决).
//!
//! [`inspect`] is the whole run: it probes the home page `--probes` times (SITE-UNREACHABLE
//! when ≥ 5 % fail), reads robots.txt, then crawls the site breadth-first — same origin only
//! (scheme, host and port), at most [`Options::max_pages`] requests, [`Options::concurrency`]
//! at a time, 15 s each — and gives each link to another host one probe (listed under
//! `external`, never a finding). The fetched pages then go to [`analyze`], which is pure: the
//! rules read parsed pages ([`html::Doc`]) and the day counted from, so they are tested
//! without a network.
//!
//! What the rules take a page to be:
//! - **navigation**: links in a `<nav>` (not a breadcrumb trail) or in an element whose class or
//!   id names a `nav`/`menu`, on any page;
//! - **column** (栏目): a page reached from the navigation (not the home page) that lists items
//!   (an `<li>`, `<tr>` or `<article>` with a link and a date), or lists none and says so
//!   (暂无信息, 暂无内容, 暂无数据 …: COLUMN-BLANK); its class comes from its name
//!   ([`dates::ColumnClass`]): 动态/要闻 stale after 2 weeks (COLUMN-STALE), 通知公告/政策文件
//!   after 6 months;
//! - **item page**: the target of an item's link on the home page or a column; it must show a
//!   date (DATE-MISSING);
//! - **mailbox listing**: a page whose name says 信箱, 来信 or 留言; each entry with a date
//!   labelled 来信/收信/留言 and none labelled 答复/回复 is a letter without reply, late after 3
//!   months (LETTER-UNANSWERED).
//!
//! Lists are read in the shapes of the CMSs county sites run on ([`html`]: jpage datastores,
//! dates inside, after or before the link or in a table cell, month-day dates resolved against
//! `as_of`, GBK pages, script array literals). **Never a false veto**: a home page or column is
//! judged stale or blank only when its listing was actually read; a home page listing nothing
//! dated is judged by its second-level pages (a navigation-only entry page), and what cannot be
//! read at all (a list an XHR fills) becomes a [`Note`] (「无法判断（脚本渲染）」), never a
//! finding. `tests/corpus.rs` holds ten such site shapes, each with a clean and a defective twin.
//!
//! Every page is scanned with `gongkai-review` for valid ID, mobile and bank card numbers
//! (PII-EXPOSED); the finding shows only the masked form. `veto` follows the spec: SITE-
//! UNREACHABLE, HOME-STALE, PII-EXPOSED and LETTER-UNANSWERED fail the site alone; COLUMN-STALE
//! and COLUMN-BLANK when five or more of their kind are found; LINK-BROKEN and DATE-MISSING
//! are scored items that never fail it.

mod crawl;
pub mod dates;
pub mod html;
pub mod robots;
mod rules;

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use crawl::{USER_AGENT, inspect};
pub use rules::{Analysis, CrawlData, Fetched, analyze, analyze_all, resolve};

/// The rules, by their ids in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// SITE-UNREACHABLE: ≥ 5 % of the home page's probes failed.
    SiteUnreachable,
    /// HOME-STALE: nothing new on the home page for 2 weeks.
    HomeStale,
    /// COLUMN-STALE: a 动态/要闻 column silent for 2 weeks, a 通知公告/政策文件 one for 6 months.
    ColumnStale,
    /// COLUMN-BLANK: a column with no item.
    ColumnBlank,
    /// LINK-BROKEN: an internal link answering 4xx/5xx or not at all.
    LinkBroken,
    /// DATE-MISSING: an item page without a visible date.
    DateMissing,
    /// PII-EXPOSED: a valid ID, mobile or bank card number visible on a page.
    PiiExposed,
    /// LETTER-UNANSWERED: a mailbox letter without reply after 3 months.
    LetterUnanswered,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 8] = [
        Rule::SiteUnreachable,
        Rule::HomeStale,
        Rule::ColumnStale,
        Rule::ColumnBlank,
        Rule::LinkBroken,
        Rule::DateMissing,
        Rule::PiiExposed,
        Rule::LetterUnanswered,
    ];

    /// The rule's id (`COLUMN-STALE` …).
    pub fn id(self) -> &'static str {
        match self {
            Rule::SiteUnreachable => "SITE-UNREACHABLE",
            Rule::HomeStale => "HOME-STALE",
            Rule::ColumnStale => "COLUMN-STALE",
            Rule::ColumnBlank => "COLUMN-BLANK",
            Rule::LinkBroken => "LINK-BROKEN",
            Rule::DateMissing => "DATE-MISSING",
            Rule::PiiExposed => "PII-EXPOSED",
            Rule::LetterUnanswered => "LETTER-UNANSWERED",
        }
    }

    /// What the rule checks, in Chinese, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Rule::SiteUnreachable => "站点无法访问",
            Rule::HomeStale => "首页长期未更新",
            Rule::ColumnStale => "栏目不更新",
            Rule::ColumnBlank => "空白栏目",
            Rule::LinkBroken => "链接不可用",
            Rule::DateMissing => "未标注发布日期",
            Rule::PiiExposed => "泄露个人信息",
            Rule::LetterUnanswered => "留言超期未回复",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Rule {
    type Err = InspectError;
    fn from_str(s: &str) -> Result<Rule, InspectError> {
        Rule::ALL
            .into_iter()
            .find(|r| r.id() == s)
            .ok_or_else(|| InspectError::UnknownRule(s.to_string()))
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One thing at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Whether it fails the site (alone, or with its kind reaching the 19号 threshold).
    pub veto: bool,
    /// The page, column, link target or letter at fault.
    pub url: String,
    /// What is wrong, in Chinese; personal data only masked.
    pub detail: String,
}

/// Something the inspection could not judge (a list rendered by script, a home page with
/// nothing readable): informational, never a finding, never a veto, never a deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The page not judged.
    pub url: String,
    /// Why, in Chinese (「无法判断（脚本渲染）」 …).
    pub detail: String,
}

/// The outcome of an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// 合格: no single-veto item failed.
    Pass,
    /// 单项否决: at least one finding has `veto`.
    Veto,
}

impl Verdict {
    /// 合格 or 单项否决.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "合格",
            Verdict::Veto => "单项否决",
        }
    }

    /// The verdict of a set of findings.
    pub fn of(findings: &[Finding]) -> Verdict {
        if findings.iter().any(|f| f.veto) {
            Verdict::Veto
        } else {
            Verdict::Pass
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// A link to another host and its one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct External {
    /// The link's target.
    pub url: String,
    /// The probe's HTTP status; `None` when it got no answer or was not probed.
    pub status: Option<u16>,
    /// Why there was no answer (or `未探测` past the probe limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The home page's availability probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Probes {
    /// Probes sent.
    pub sent: usize,
    /// Probes that got no answer, or an error status.
    pub failed: usize,
}

/// What an inspection found (the `--json` shape of the spec, plus `external` and `probes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The site inspected (its home page).
    pub url: String,
    /// The day the freshness rules counted from.
    pub as_of: NaiveDate,
    /// 合格 or 单项否决.
    pub verdict: Verdict,
    /// Requests made for pages of the site (the home page included, robots.txt and probes of
    /// other hosts not).
    pub pages: usize,
    /// The findings, by rule then URL.
    pub findings: Vec<Finding>,
    /// What could not be judged, by URL (informational).
    pub notes: Vec<Note>,
    /// Links to other hosts, each probed at most once.
    pub external: Vec<External>,
    /// The availability probes.
    pub probes: Probes,
}

/// Called after each page is fetched with the number fetched so far, the limit and the URL.
pub type ProgressFn = Arc<dyn Fn(usize, usize, &str) + Send + Sync>;

/// How to inspect.
#[derive(Clone)]
pub struct Options {
    /// The day the freshness rules count from.
    pub as_of: NaiveDate,
    /// At most this many page requests (the home page included).
    pub max_pages: usize,
    /// Probes of the home page for availability (at least 1; the first is also the crawl's
    /// fetch of the home page).
    pub probes: usize,
    /// Pause between two probes.
    pub probe_interval: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time allowed for one request.
    pub timeout: Duration,
    /// At most this many links to other hosts are probed; the rest are listed unprobed.
    pub max_external: usize,
    /// Told of each page fetched.
    pub progress: Option<ProgressFn>,
}

impl Options {
    /// The defaults for a day: 1000 pages, 1 probe, 4 at a time, 15 s, 100 external probes.
    pub fn new(as_of: NaiveDate) -> Options {
        Options {
            as_of,
            max_pages: 1000,
            probes: 1,
            probe_interval: Duration::from_secs(1),
            concurrency: 4,
            timeout: Duration::from_secs(15),
            max_external: 100,
            progress: None,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("as_of", &self.as_of)
            .field("max_pages", &self.max_pages)
            .field("probes", &self.probes)
            .field("concurrency", &self.concurrency)
            .field("timeout", &self.timeout)
            .field("max_external", &self.max_external)
            .finish_non_exhaustive()
    }
}

/// Why an inspection could not run.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// The URL to inspect is not an absolute http(s) URL with a host.
    #[error("「{0}」不是有效的网站地址（需以 http:// 或 https:// 开头）")]
    BadUrl(String),
    /// The HTTP client could not be built (TLS set-up).
    #[error("无法建立 HTTP 客户端: {0}")]
    Client(String),
    /// A stored rule id is not one of ours.
    #[error("未知的巡查规则「{0}」")]
    UnknownRule(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_round_trip() {
        for r in Rule::ALL {
            assert_eq!(r.id().parse::<Rule>().ok(), Some(r));
        }
        assert!("NOPE".parse::<Rule>().is_err());
    }

    #[test]
    fn the_verdict_follows_veto() {
        let f = |veto| Finding {
            rule: Rule::LinkBroken,
            veto,
            url: "http://x/".into(),
            detail: String::new(),
        };
        assert_eq!(Verdict::of(&[]), Verdict::Pass);
        assert_eq!(Verdict::of(&[f(false)]), Verdict::Pass);
        assert_eq!(Verdict::of(&[f(false), f(true)]), Verdict::Veto);
        assert_eq!(
            serde_json::to_value(Verdict::Veto).ok(),
            Some(serde_json::json!("单项否决"))
        );
    }
}
