//! The 政府网站工作年度报表 of a year, as 《国务院办公厅关于做好政府网站年度报表发布工作的通知》
//! (国办函〔2018〕12号, 2018-01-15; text read at
//! <https://www.chinacourt.org/law/detail/2018/01/id/149688.shtml>, a copy of the notice as
//! 中国政府网 published it at <https://ceirp.cn/xwzx/gggs/2018-01-25/3374.html>) asks every
//! government website to publish on its home page by 31 January: 信息发布, 专栏专题, 解读回应,
//! 办事服务, 互动交流, 安全防护, 移动新媒体 and 创新发展.
//!
//! The fields and units below are those of the notice's attachment 2 (the form that
//! 全国政府网站信息报送系统 generates and county sites publish each January): the header
//! (网站名称, 首页网址, 主办单位, 网站类型, 政府网站标识码, ICP备案号, 公安机关备案号, 独立用户访问总量
//! 个, 网站总访问量 次), then the eight sections with their fields in the form's order. The
//! search tool returned the notice's text and its eight sections but not the attachment
//! itself; the field list follows the project's research notes (`spec/website.md`), which
//! match the form as published by county sites — check it against the attachment when one is
//! at hand, and change [`SiteReport::sections`] only.
//!
//! **Nothing invented**: every figure is counted from the records
//! ([`gongkai_store::views::site_report`], where each count is defined); a field the records
//! do not hold shows "—". Yes/no fields and the 创新发展 boxes come from the site's settings
//! ([`SiteProfile`], `GONGKAI_SITE_FEATURES`): without settings they show "—" too.
//!
//! One value ([`SiteReport`]) renders as HTML (the portal's page and the back office), DOCX
//! and XLSX (downloads, `gongkai site-report`).

use gongkai_store::models::media_account::PlatformKind;
use gongkai_store::views::site_report::SiteReportFigures;
use serde::Serialize;

/// What the site's settings say about the site beyond its name and identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteProfile {
    /// 网站类型: 政府门户网站, 部门网站 or 专项网站 (`GONGKAI_SITE_TYPE`).
    pub site_type: Option<String>,
    /// 公安机关备案号 (`GONGKAI_PSB_RECORD`).
    pub psb_record: Option<String>,
    /// The 主办单位 when it is not the portal's agency (`GONGKAI_SITE_HOST`).
    pub host: Option<String>,
    /// Yes/no fields and 创新发展 boxes that hold (`GONGKAI_SITE_FEATURES`, names separated by
    /// commas, from [`FEATURES`]); `None` when the setting is absent: then they show "—".
    pub features: Option<Vec<String>>,
}

/// The names `GONGKAI_SITE_FEATURES` may list.
pub const FEATURES: [&str; 10] = [
    "统一平台",
    "智能问答",
    "安全监测预警机制",
    "应急演练",
    "安全责任人",
    "搜索即服务",
    "多语言版本",
    "无障碍浏览",
    "千人千网",
    "服务事项目录",
];

/// The 网站类型 the form offers.
pub const SITE_TYPES: [&str; 3] = ["政府门户网站", "部门网站", "专项网站"];

impl SiteProfile {
    /// The profile from the environment (`GONGKAI_SITE_TYPE`, `GONGKAI_PSB_RECORD`,
    /// `GONGKAI_SITE_HOST`, `GONGKAI_SITE_FEATURES`). An unknown type or feature is an error.
    pub fn from_env() -> Result<SiteProfile, String> {
        let var = |k: &str| {
            std::env::var(k)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let site_type = var("GONGKAI_SITE_TYPE");
        if let Some(t) = &site_type
            && !SITE_TYPES.contains(&t.as_str())
        {
            return Err(format!(
                "GONGKAI_SITE_TYPE: 「{t}」应为 {}",
                SITE_TYPES.join("、")
            ));
        }
        let features = match var("GONGKAI_SITE_FEATURES") {
            None => None,
            Some(v) => {
                let list: Vec<String> = v
                    .split([',', '，', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(bad) = list.iter().find(|f| !FEATURES.contains(&f.as_str())) {
                    return Err(format!(
                        "GONGKAI_SITE_FEATURES: 「{bad}」不是可选项（{}）",
                        FEATURES.join("、")
                    ));
                }
                Some(list)
            }
        };
        Ok(SiteProfile {
            site_type,
            psb_record: var("GONGKAI_PSB_RECORD"),
            host: var("GONGKAI_SITE_HOST"),
            features,
        })
    }

    fn has(&self, feature: &str) -> Option<bool> {
        self.features
            .as_ref()
            .map(|f| f.iter().any(|x| x == feature))
    }
}

/// The form's header fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// 网站名称.
    pub site_name: String,
    /// 首页网址.
    pub home_url: String,
    /// 主办单位.
    pub host: String,
    /// 网站类型, or "—".
    pub site_type: String,
    /// 政府网站标识码.
    pub site_code: String,
    /// ICP备案号.
    pub icp: String,
    /// 公安机关备案号, or "—".
    pub psb_record: String,
}

/// One line of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The field as the form names it, with its sub-heading (`留言办理 · 收到留言数量`).
    pub label: String,
    /// Its unit (`条`, `个` …) or empty.
    pub unit: &'static str,
    /// The value: a number, 是/否, names, or "—".
    pub value: String,
}

/// One section of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// 信息发布 …
    pub title: &'static str,
    /// Its lines.
    pub lines: Vec<Line>,
}

/// The 政府网站工作年度报表 of one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteReport {
    /// The year.
    pub year: i32,
    /// The header.
    pub header: Header,
    /// The figures counted from the records.
    pub figures: SiteReportFigures,
    /// The settings' yes/no fields and boxes.
    #[serde(skip)]
    pub profile: SiteProfile,
}

/// "—": the records hold nothing for the field.
pub const NONE: &str = "—";

fn num(n: i64) -> String {
    n.to_string()
}

fn opt(n: Option<i64>) -> String {
    n.map_or_else(|| NONE.to_string(), num)
}

fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "是".to_string(),
        Some(false) => "否".to_string(),
        None => NONE.to_string(),
    }
}

fn line(label: &str, unit: &'static str, value: String) -> Line {
    Line {
        label: label.to_string(),
        unit,
        value,
    }
}

impl SiteReport {
    /// The report of `figures` for the site described by `header` and `profile`.
    pub fn new(header: Header, figures: SiteReportFigures, profile: SiteProfile) -> SiteReport {
        SiteReport {
            year: figures.year,
            header,
            figures,
            profile,
        }
    }

    /// The form's title.
    pub fn title(&self) -> String {
        format!("政府网站工作年度报表（{}年度）", self.year)
    }

    /// The header as lines (网站类型 with its three boxes).
    pub fn header_lines(&self) -> Vec<Line> {
        let h = &self.header;
        let f = &self.figures;
        let site_type = if h.site_type == NONE {
            NONE.to_string()
        } else {
            SITE_TYPES
                .iter()
                .map(|t| format!("{}{t}", if *t == h.site_type { "☑" } else { "□" }))
                .collect::<Vec<_>>()
                .join(" ")
        };
        vec![
            line("网站名称", "", h.site_name.clone()),
            line("首页网址", "", h.home_url.clone()),
            line("主办单位", "", h.host.clone()),
            line("网站类型", "", site_type),
            line("政府网站标识码", "", h.site_code.clone()),
            line("ICP备案号", "", h.icp.clone()),
            line("公安机关备案号", "", h.psb_record.clone()),
            line("独立用户访问总量", "个", opt(f.visitors)),
            line("网站总访问量", "次", opt(f.page_views)),
        ]
    }

    /// The eight sections with their lines, in the form's order.
    pub fn sections(&self) -> Vec<Section> {
        let f = &self.figures;
        let p = &self.profile;
        let names = |kind: PlatformKind| {
            let n: Vec<&str> = f
                .media
                .iter()
                .filter(|m| PlatformKind::of(&m.platform) == kind)
                .map(|m| m.name.as_str())
                .collect();
            if n.is_empty() {
                NONE.to_string()
            } else {
                n.join("、")
            }
        };
        let boxes = ["搜索即服务", "多语言版本", "无障碍浏览", "千人千网"]
            .iter()
            .map(|b| match p.has(b) {
                Some(true) => format!("☑{b}"),
                _ => format!("□{b}"),
            })
            .collect::<Vec<_>>()
            .join(" ");
        vec![
            Section {
                title: "信息发布",
                lines: vec![
                    line("总数", "条", num(f.items_total)),
                    line("概况类信息更新量", "条", num(f.items_overview)),
                    // The portal has no 政务动态 column: nothing is recorded as such.
                    line("政务动态信息更新量", "条", NONE.to_string()),
                    line("信息公开目录信息更新量", "条", num(f.items_catalogue)),
                ],
            },
            Section {
                title: "专栏专题",
                lines: vec![
                    line("维护数量", "个", num(f.topics_maintained)),
                    line("新开设数量", "个", num(f.topics_opened)),
                ],
            },
            Section {
                title: "解读回应",
                lines: vec![
                    line("解读信息发布 · 总数", "条", num(f.interpretations)),
                    line("解读信息发布 · 解读材料数量", "条", num(f.interpretations)),
                    line("解读信息发布 · 解读产品数量", "个", NONE.to_string()),
                    line("解读信息发布 · 媒体评论文章数量", "篇", NONE.to_string()),
                    line("回应公众关注热点或重大舆情数量", "次", NONE.to_string()),
                ],
            },
            Section {
                title: "办事服务",
                lines: vec![
                    line("是否发布服务事项目录", "", yes_no(p.has("服务事项目录"))),
                    line("注册用户数", "个", NONE.to_string()),
                    line("政务服务事项数量", "项", opt(f.service_matters)),
                    line("可全程在线办理政务服务事项数量", "项", NONE.to_string()),
                    line("办件量 · 总数", "件", NONE.to_string()),
                    line("办件量 · 自然人办件量", "件", NONE.to_string()),
                    line("办件量 · 法人办件量", "件", NONE.to_string()),
                ],
            },
            Section {
                title: "互动交流",
                lines: vec![
                    line("是否使用统一平台", "", yes_no(p.has("统一平台"))),
                    line("留言办理 · 收到留言数量", "条", num(f.letters_received)),
                    line("留言办理 · 办结留言数量", "条", num(f.letters_done)),
                    line(
                        "留言办理 · 平均办理时间",
                        "天",
                        f.letters_avg_days
                            .map_or_else(|| NONE.to_string(), |d| format!("{d:.1}")),
                    ),
                    line("留言办理 · 公开答复数量", "条", num(f.letters_public)),
                    line("征集调查 · 征集调查期数", "期", NONE.to_string()),
                    line("征集调查 · 收到意见数量", "条", NONE.to_string()),
                    line("征集调查 · 公布调查结果期数", "期", NONE.to_string()),
                    line("在线访谈 · 访谈期数", "期", NONE.to_string()),
                    line("在线访谈 · 网民留言数量", "条", NONE.to_string()),
                    line("在线访谈 · 答复网民提问数量", "条", NONE.to_string()),
                    line("是否提供智能问答", "", yes_no(p.has("智能问答"))),
                ],
            },
            Section {
                title: "安全防护",
                lines: vec![
                    line("安全检测评估次数", "次", opt(f.inspections)),
                    line("发现问题数量", "个", opt(f.problems_found)),
                    line("问题整改数量", "个", opt(f.problems_fixed)),
                    line(
                        "是否建立安全监测预警机制",
                        "",
                        yes_no(p.has("安全监测预警机制")),
                    ),
                    line("是否开展应急演练", "", yes_no(p.has("应急演练"))),
                    line("是否明确网站安全责任人", "", yes_no(p.has("安全责任人"))),
                ],
            },
            Section {
                title: "移动新媒体",
                lines: vec![
                    line("是否有移动新媒体", "", yes_no(Some(!f.media.is_empty()))),
                    line("微博 · 名称", "", names(PlatformKind::Weibo)),
                    line("微博 · 信息发布量", "条", NONE.to_string()),
                    line("微博 · 关注量", "个", NONE.to_string()),
                    line("微信 · 名称", "", names(PlatformKind::Weixin)),
                    line("微信 · 信息发布量", "条", NONE.to_string()),
                    line("微信 · 订阅数", "个", NONE.to_string()),
                    line("其他", "", names(PlatformKind::Other)),
                ],
            },
            Section {
                title: "创新发展",
                lines: vec![line(
                    "创新发展",
                    "",
                    if p.features.is_none() {
                        NONE.to_string()
                    } else {
                        boxes
                    },
                )],
            },
        ]
    }

    /// A note under the form: how the figures were counted.
    pub fn note(&self) -> String {
        let f = &self.figures;
        format!(
            "数据统计期限：{y}年1月1日至{y}年12月31日。各项数字均由本平台记录统计：访问量为本平台按日统计（{d}天有记录，不保存访问者IP或Cookie）；「—」表示平台无相应记录。",
            y = self.year,
            d = f.counted_days
        )
    }

    /// Every line, header first, with its section (empty for the header).
    pub fn all_lines(&self) -> Vec<(&'static str, Line)> {
        let mut out: Vec<(&'static str, Line)> =
            self.header_lines().into_iter().map(|l| ("", l)).collect();
        for s in self.sections() {
            out.extend(s.lines.into_iter().map(|l| (s.title, l)));
        }
        out
    }

    /// The report as a Word document: the title, one table of 类别 · 指标 · 单位 · 数值, and the
    /// note.
    pub fn docx(&self) -> Result<Vec<u8>, String> {
        use docx_rs::{
            AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
        };
        let fonts = |east_asia: &str| {
            RunFonts::new()
                .east_asia(east_asia)
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
        };
        let p = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
        let cell = |text: &str| TableCell::new().add_paragraph(p(text));
        let head_cell = |text: &str| {
            TableCell::new()
                .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()))
        };
        let mut table = Table::new(vec![TableRow::new(vec![
            head_cell("类别"),
            head_cell("指标"),
            head_cell("单位"),
            head_cell("数值"),
        ])])
        .set_grid(vec![1500, 3700, 800, 3000])
        .width(9000, WidthType::Dxa);
        for (section, l) in self.all_lines() {
            let section = if section.is_empty() {
                "基本信息"
            } else {
                section
            };
            table = table.add_row(TableRow::new(vec![
                cell(section),
                cell(&l.label),
                cell(l.unit),
                cell(&l.value),
            ]));
        }
        let doc = Docx::new()
            .page_size(11906, 16838)
            .default_fonts(fonts("仿宋"))
            .default_size(24)
            .add_paragraph(
                Paragraph::new().align(AlignmentType::Center).add_run(
                    Run::new()
                        .add_text(self.title())
                        .size(40)
                        .fonts(fonts("宋体")),
                ),
            )
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text(format!("填报单位：{}", self.header.host))),
            )
            .add_table(table)
            .add_paragraph(p(&self.note()));
        let mut buf = std::io::Cursor::new(Vec::new());
        doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
        Ok(buf.into_inner())
    }

    /// The report as a workbook: one sheet of 类别 · 指标 · 单位 · 数值 (numbers as numbers).
    pub fn xlsx(&self) -> Result<Vec<u8>, String> {
        use rust_xlsxwriter::{Format, Workbook};
        let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let s = book.add_worksheet().set_name("年度报表").map_err(e)?;
        s.write_string_with_format(0, 0, self.title(), &bold)
            .map_err(e)?;
        for (c, h) in ["类别", "指标", "单位", "数值"].iter().enumerate() {
            s.write_string_with_format(1, c as u16, *h, &bold)
                .map_err(e)?;
        }
        for (i, (section, l)) in self.all_lines().iter().enumerate() {
            let r = i as u32 + 2;
            let section = if section.is_empty() {
                "基本信息"
            } else {
                section
            };
            s.write_string(r, 0, section).map_err(e)?;
            s.write_string(r, 1, &l.label).map_err(e)?;
            s.write_string(r, 2, l.unit).map_err(e)?;
            // A count is written as a number so it sums; everything else as text.
            match l.value.parse::<f64>() {
                Ok(n) if !l.unit.is_empty() => s.write_number(r, 3, n).map_err(e)?,
                _ => s.write_string(r, 3, &l.value).map_err(e)?,
            };
        }
        let r = self.all_lines().len() as u32 + 3;
        s.write_string(r, 0, self.note()).map_err(e)?;
        s.set_column_width(0, 14).map_err(e)?;
        s.set_column_width(1, 36).map_err(e)?;
        s.set_column_width(3, 50).map_err(e)?;
        book.save_to_buffer().map_err(e)
    }
}

/// The first year the form exists for (国办函〔2018〕12号 asked for the 2017 report first).
pub const FIRST_YEAR: i32 = 2017;

/// A finished year the form can be made for, from a path or query (`2020`).
pub fn finished_year(year: &str) -> Option<i32> {
    use chrono::Datelike;
    let current = gongkai_law::today::beijing_today().year();
    year.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (FIRST_YEAR..current).contains(y))
}

/// Counts the report of `year` for the portal described by `site`, at `home_url`.
///
/// `visits_counted` says whether the portal's visit counts are this site's: on a 集约化
/// platform the nodes count the visits of all sites together, which are the default site's
/// figures; another site's 访问量 are then not in the records and show 「—」.
pub async fn build(
    store: &gongkai_store::Store,
    site: &crate::SiteSettings,
    profile: &SiteProfile,
    home_url: &str,
    year: i32,
    visits_counted: bool,
) -> Result<SiteReport, gongkai_store::StoreError> {
    let mut figures =
        gongkai_store::views::site_report::figures(store, site.agency_id, year).await?;
    if !visits_counted {
        figures.visitors = None;
        figures.page_views = None;
    }
    // What the system admin set for the site wins over the server's start-up values, as in
    // the footer (site_info).
    let stored = gongkai_store::models::site_settings::get(store, site.agency_id).await?;
    let host = match &profile.host {
        Some(h) => h.clone(),
        None => match gongkai_store::models::agency::get(store, site.agency_id).await {
            Ok(a) => a.name,
            Err(_) => site.site_name.clone(),
        },
    };
    let header = Header {
        site_name: site.site_name.clone(),
        home_url: home_url.to_string(),
        host,
        site_type: profile
            .site_type
            .clone()
            .unwrap_or_else(|| NONE.to_string()),
        site_code: stored
            .as_ref()
            .map(|x| x.site_code.clone())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| site.site_code.clone()),
        icp: stored
            .as_ref()
            .map(|x| x.icp.clone())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| site.icp.clone()),
        psb_record: profile
            .psb_record
            .clone()
            .unwrap_or_else(|| NONE.to_string()),
    };
    Ok(SiteReport::new(header, figures, profile.clone()))
}

/// The portal's page of the form (`/site-report/{year}`).
#[derive(askama::Template)]
#[template(path = "site_report.html")]
struct PortalPage {
    page: crate::Page,
    report: SiteReport,
    header: Vec<Line>,
    sections: Vec<Section>,
    years: Vec<i32>,
}

/// `/site-report`: the latest finished year's form.
pub async fn latest() -> axum::response::Redirect {
    use chrono::Datelike;
    let year = gongkai_law::today::beijing_today().year() - 1;
    axum::response::Redirect::to(&format!("/site-report/{year}"))
}

/// `/site-report/{year}`: the 政府网站工作年度报表 of a finished year on the portal.
pub async fn portal_page(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
    axum::extract::Path(year): axum::extract::Path<String>,
) -> Result<axum::response::Response, crate::PageError> {
    use chrono::Datelike;
    let year = finished_year(&year)
        .ok_or_else(|| crate::PageError::not_found("没有这一年的政府网站工作年度报表。"))?;
    let report = build(
        &state.store,
        &state.site,
        &state.site_profile,
        &state.public_url,
        year,
        state.counts_visits(),
    )
    .await?;
    let page = crate::layout::frame(
        &state,
        &headers,
        &uri,
        &report.title(),
        crate::layout::Section::Reports,
    );
    let current = gongkai_law::today::beijing_today().year();
    Ok(crate::error::render(&PortalPage {
        page,
        header: report.header_lines(),
        sections: report.sections(),
        report,
        years: (FIRST_YEAR..current).rev().collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_store::views::site_report::MediaAccountRow;

    pub(crate) fn sample() -> SiteReport {
        SiteReport::new(
            Header {
                site_name: "夏邑县人民政府".into(),
                home_url: "http://127.0.0.1:8080".into(),
                host: "夏邑县人民政府办公室".into(),
                site_type: "政府门户网站".into(),
                site_code: "4114260001".into(),
                icp: "豫ICP备00000000号".into(),
                psb_record: NONE.into(),
            },
            SiteReportFigures {
                year: 2020,
                visitors: None,
                page_views: None,
                counted_days: 0,
                items_total: 120,
                items_overview: 7,
                items_catalogue: 120,
                topics_maintained: 5,
                topics_opened: 2,
                interpretations: 9,
                service_matters: Some(30),
                letters_received: 318,
                letters_done: 318,
                letters_avg_days: Some(6.5),
                letters_public: 200,
                inspections: None,
                problems_found: None,
                problems_fixed: None,
                media: vec![
                    MediaAccountRow {
                        platform: "微博".into(),
                        name: "夏邑发布1".into(),
                    },
                    MediaAccountRow {
                        platform: "微信公众号".into(),
                        name: "夏邑发布3".into(),
                    },
                ],
            },
            SiteProfile::default(),
        )
    }

    #[test]
    fn every_field_has_its_unit_and_missing_records_show_a_dash() {
        let r = sample();
        let lines = r.all_lines();
        let get = |label: &str| {
            lines
                .iter()
                .find(|(_, l)| l.label == label)
                .map(|(_, l)| (l.unit, l.value.clone()))
        };
        assert_eq!(get("独立用户访问总量"), Some(("个", "—".into())));
        assert_eq!(get("网站总访问量"), Some(("次", "—".into())));
        assert_eq!(get("总数"), Some(("条", "120".into())));
        assert_eq!(get("维护数量"), Some(("个", "5".into())));
        assert_eq!(get("留言办理 · 平均办理时间"), Some(("天", "6.5".into())));
        assert_eq!(get("安全检测评估次数"), Some(("次", "—".into())));
        assert_eq!(get("微博 · 名称"), Some(("", "夏邑发布1".into())));
        assert_eq!(get("微信 · 名称"), Some(("", "夏邑发布3".into())));
        assert_eq!(get("是否有移动新媒体"), Some(("", "是".into())));
        // Without settings, the yes/no fields and boxes are not claimed either way.
        assert_eq!(get("是否提供智能问答"), Some(("", "—".into())));
        assert_eq!(get("创新发展"), Some(("", "—".into())));
        assert_eq!(
            get("网站类型").map(|v| v.1),
            Some("☑政府门户网站 □部门网站 □专项网站".into())
        );
        let titles: Vec<&str> = r.sections().iter().map(|s| s.title).collect();
        assert_eq!(
            titles,
            [
                "信息发布",
                "专栏专题",
                "解读回应",
                "办事服务",
                "互动交流",
                "安全防护",
                "移动新媒体",
                "创新发展"
            ]
        );
        // With settings: listed ones 是 / ☑, the others 否 / □.
        let mut r = sample();
        r.profile.features = Some(vec!["智能问答".into(), "无障碍浏览".into()]);
        let lines = r.all_lines();
        let v = |label: &str| {
            lines
                .iter()
                .find(|(_, l)| l.label == label)
                .map(|(_, l)| l.value.clone())
        };
        assert_eq!(v("是否提供智能问答").as_deref(), Some("是"));
        assert_eq!(v("是否开展应急演练").as_deref(), Some("否"));
        assert_eq!(
            v("创新发展").as_deref(),
            Some("□搜索即服务 □多语言版本 ☑无障碍浏览 □千人千网")
        );
        let docx = r.docx().expect("docx");
        let json = docx_rs::read_docx(&docx).expect("read").json();
        for t in [
            "政府网站工作年度报表（2020年度）",
            "信息公开目录信息更新量",
            "318",
            "—",
        ] {
            assert!(json.contains(t), "{t}");
        }
        let xlsx = r.xlsx().expect("xlsx");
        assert!(xlsx.starts_with(b"PK"));
        // For scripts/check-office-output.sh: the files and the numbers they must show.
        if let Ok(dir) = std::env::var("GONGKAI_SHEET_OUT") {
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join("site-report.docx"), &docx).expect("write docx");
            std::fs::write(dir.join("site-report.xlsx"), &xlsx).expect("write xlsx");
            let numbers: Vec<String> = r
                .all_lines()
                .into_iter()
                .filter(|(_, l)| l.value.parse::<f64>().is_ok())
                .map(|(_, l)| l.value)
                .collect();
            std::fs::write(dir.join("site-report.numbers"), numbers.join("\n") + "\n")
                .expect("write numbers");
        }
    }

    /// The portal's page through the router: a finished year answers 200 with the form, a year
    /// before the form or not finished answers 404, `/site-report` goes to last year's.
    #[tokio::test]
    async fn the_portal_page_shows_the_form_of_a_finished_year() {
        use axum::body::Body;
        use axum::http::{Request, StatusCode};
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let store = gongkai_store::Store::open_with_crypto(&url, gongkai_store::Crypto::random())
            .await
            .expect("store");
        let site = crate::SiteSettings {
            site_name: "甲县人民政府".into(),
            agency_id: 0,
            site_code: "0000000000".into(),
            icp: "ICP".into(),
        };
        let index = std::sync::Arc::new(gongkai_search::SearchIndex::in_memory().expect("index"));
        let app = crate::router(crate::AppState::new(store, site, index));
        let get = |path: &'static str| {
            let app = app.clone();
            async move {
                let res = app
                    .oneshot(Request::get(path).body(Body::empty()).expect("request"))
                    .await
                    .expect("answer");
                let status = res.status();
                let body = res.into_body().collect().await.expect("body").to_bytes();
                (status, String::from_utf8_lossy(&body).to_string())
            }
        };
        let (status, body) = get("/site-report/2020").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for t in [
            "政府网站工作年度报表（2020年度）",
            "国办函〔2018〕12号",
            "独立用户访问总量",
            "信息公开目录信息更新量",
            "创新发展",
        ] {
            assert!(body.contains(t), "{t}");
        }
        assert_eq!(get("/site-report/2016").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get("/site-report/9999").await.0, StatusCode::NOT_FOUND);
        assert!(get("/site-report").await.0.is_redirection());
    }
}
