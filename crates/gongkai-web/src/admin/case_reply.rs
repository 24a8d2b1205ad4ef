//! The reply form of a case (作出答复): the outcome picker grouped under the headings of
//! table 三 (予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理), the legal basis chosen
//! from the articles the outcome allows ([`Outcome::articles`]), the reasons and, for
//! 无法提供·本机关不掌握, the agency that holds the information (Art. 36(5)).
//!
//! For every outcome but 予以公开 the reasons and a basis are required; a reply without them is
//! refused and the case page comes back with the error next to the field and what was entered
//! kept. The reply and its letter's words are stored in one write
//! ([`application_desk::reply`]); nothing is ever filled in for the handler.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use gongkai_law::{Outcome, Table3Group};
use gongkai_store::models::application_desk::{self, ReplyDetails};

use super::access::Action;
use super::cases::{self, CaseView};
use super::extract::{Done, Write, act};
use crate::{AppState, PageError};

/// The most characters of reasons a letter takes.
const REASONS_MAX: usize = 2000;

/// One outcome in the picker.
pub struct OutcomeOption {
    /// [`Outcome::key`].
    pub value: &'static str,
    /// The leaf label (「1.属于国家秘密」).
    pub label: &'static str,
    /// Whether it is the one entered.
    pub selected: bool,
    /// The articles it allows, joined for the hint.
    pub articles: String,
}

/// A heading of the picker with its outcomes.
pub struct OutcomeGroup {
    /// 「不予公开」.
    pub heading: &'static str,
    /// Its outcomes.
    pub outcomes: Vec<OutcomeOption>,
}

/// An article the handler may tick as the basis.
pub struct BasisOption {
    /// The article as the letter cites it (第三十六条第（三）项).
    pub article: &'static str,
    /// Its position, for the checkbox's id.
    pub n: usize,
    /// Whether it is ticked.
    pub checked: bool,
}

/// The reply form with what was entered and each field's error.
#[derive(Default)]
pub struct ReplyPicker {
    /// The outcomes under their headings.
    pub groups: Vec<OutcomeGroup>,
    /// Every article any outcome allows, in the order the law lists them.
    pub basis: Vec<BasisOption>,
    /// The reasons as entered.
    pub reasons: String,
    /// The responsible agency as entered.
    pub responsible: String,
    /// The reply date as entered (empty: today).
    pub on: String,
    /// Errors by field (empty: none).
    pub outcome_error: String,
    /// Error of the basis.
    pub basis_error: String,
    /// Error of the reasons.
    pub reasons_error: String,
    /// Error of the date.
    pub on_error: String,
}

impl ReplyPicker {
    /// Whether any field is at fault.
    pub fn has_errors(&self) -> bool {
        !(self.outcome_error.is_empty()
            && self.basis_error.is_empty()
            && self.reasons_error.is_empty()
            && self.on_error.is_empty())
    }

    /// The picker with `entered` filled in (the empty form when `entered` is empty).
    pub fn new(entered: &ReplyInput) -> ReplyPicker {
        let groups = Table3Group::RESULTS
            .into_iter()
            .map(|g| OutcomeGroup {
                heading: g.plain_label(),
                outcomes: Outcome::ALL
                    .into_iter()
                    .filter(|o| o.group() == g)
                    .map(|o| OutcomeOption {
                        value: o.key(),
                        // A heading with one outcome (予以公开, 部分公开) names it plainly,
                        // without the statistics form's footnote.
                        label: if o.label().starts_with('（') {
                            o.plain_label()
                        } else {
                            o.label()
                        },
                        selected: entered.outcome == o.key(),
                        articles: o.articles().join("、"),
                    })
                    .collect(),
            })
            .collect();
        let mut seen = BTreeSet::new();
        let basis = Outcome::ALL
            .into_iter()
            .flat_map(|o| o.articles().iter().copied())
            .filter(|a| seen.insert(*a))
            .enumerate()
            .map(|(n, article)| BasisOption {
                article,
                n,
                checked: entered.basis.iter().any(|b| b == article),
            })
            .collect();
        ReplyPicker {
            groups,
            basis,
            reasons: entered.reasons.clone(),
            responsible: entered.responsible.clone(),
            on: entered.on.clone(),
            ..ReplyPicker::default()
        }
    }
}

/// The reply form as posted (the basis checkboxes repeat their name, so the body is read as
/// pairs).
#[derive(Debug, Clone, Default)]
pub struct ReplyInput {
    /// Outcome key.
    pub outcome: String,
    /// The ticked articles.
    pub basis: Vec<String>,
    /// Reasons.
    pub reasons: String,
    /// Responsible agency.
    pub responsible: String,
    /// Reply date.
    pub on: String,
}

impl ReplyInput {
    /// Reads the posted pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> ReplyInput {
        let mut f = ReplyInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "outcome" => f.outcome = v,
                "basis" => f.basis.push(v),
                "reasons" => f.reasons = v,
                "responsible" => f.responsible = v,
                "on" => f.on = v,
                _ => {}
            }
        }
        f
    }
}

/// Checks a reply: the outcome, the date, and for every outcome but 予以公开 the reasons and a
/// basis from the outcome's own articles. On success the reply; otherwise the picker with
/// each error next to its field.
pub fn check(f: &ReplyInput) -> Result<(NaiveDate, Outcome, ReplyDetails), Box<ReplyPicker>> {
    let mut picker = ReplyPicker::new(f);
    let outcome = Outcome::parse(&f.outcome).filter(|_| !f.outcome.trim().is_empty());
    if outcome.is_none() {
        picker.outcome_error = "请选择办理结果。".into();
    }
    let on = NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d").ok();
    if on.is_none() {
        picker.on_error = "答复日期格式不正确，应为“年-月-日”，如 2026-03-02。".into();
    }
    let reasons = f.reasons.trim();
    let mut basis: Vec<String> = Vec::new();
    if let Some(o) = outcome {
        let allowed = o.articles();
        // The letter cites the articles in the law's order, whatever order they were ticked.
        basis = allowed
            .iter()
            .filter(|a| f.basis.iter().any(|b| b == *a))
            .map(|a| (*a).to_string())
            .collect();
        let foreign: Vec<&str> = f
            .basis
            .iter()
            .map(String::as_str)
            .filter(|b| !allowed.contains(b))
            .collect();
        if !foreign.is_empty() {
            picker.basis_error = format!(
                "“{}”不能依据{}；可以依据：{}。",
                o.plain_label(),
                foreign.join("、"),
                if allowed.is_empty() {
                    "无".to_string()
                } else {
                    allowed.join("、")
                }
            );
        } else if basis.is_empty() && !allowed.is_empty() {
            picker.basis_error = format!(
                "请选择答复所依据的条款（“{}”可以依据：{}）。",
                o.plain_label(),
                allowed.join("、")
            );
        }
        if o.needs_reasons() && reasons.is_empty() {
            picker.reasons_error = format!(
                "“{}”的答复必须写明理由，答复书只写承办人写明的理由。",
                o.plain_label()
            );
        }
    }
    if reasons.chars().count() > REASONS_MAX {
        picker.reasons_error = format!("理由不能超过{REASONS_MAX}个字。");
    }
    match (outcome, on) {
        (Some(o), Some(on)) if !picker.has_errors() => Ok((
            on,
            o,
            ReplyDetails {
                reasons: (!reasons.is_empty()).then(|| reasons.to_string()),
                responsible_agency: Some(f.responsible.trim().to_string())
                    .filter(|r| !r.is_empty() && o.names_responsible_agency()),
                basis,
            },
        )),
        _ => Err(Box::new(picker)),
    }
}

/// `POST /admin/cases/{id}/reply`: records the final reply with its outcome, basis and
/// reasons; a reply at fault comes back as the case page (422) with the errors next to the
/// fields.
pub async fn reply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: pairs,
        ..
    }: Write<act::Reply, Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = ReplyInput::from_pairs(pairs);
    cases::load_case(&state, &s, id, Action::Reply).await?;
    match check(&f) {
        Ok((on, outcome, details)) => {
            application_desk::reply(&state.store, &s.user().name, id, on, outcome, &details)
                .await?;
            Done::to(&format!("/admin/cases/{id}"), "replied")
        }
        Err(picker) => {
            cases::case_response(
                &state,
                &s,
                &headers,
                id,
                CaseView {
                    notice: "",
                    picker: *picker,
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                },
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(outcome: &str, basis: &[&str], reasons: &str) -> ReplyInput {
        ReplyInput {
            outcome: outcome.into(),
            basis: basis.iter().map(|b| (*b).to_string()).collect(),
            reasons: reasons.into(),
            on: "2026-04-20".into(),
            ..ReplyInput::default()
        }
    }

    #[test]
    fn every_outcome_but_disclosure_needs_reasons_and_a_basis() {
        for o in Outcome::ALL {
            let first = o.articles().first().copied();
            // No reasons.
            let r = check(&input(o.key(), first.as_slice(), "  "));
            if o == Outcome::Disclosed {
                assert!(r.is_ok(), "{o:?}");
            } else {
                let p = r.err().unwrap_or_else(|| panic!("{o:?} without reasons"));
                assert!(p.reasons_error.contains("必须写明理由"), "{o:?}");
                assert!(p.basis_error.is_empty(), "{o:?}");
            }
            // No basis, where the outcome has articles to choose from.
            let r = check(&input(o.key(), &[], "某理由"));
            if o.articles().is_empty() {
                assert!(r.is_ok(), "{o:?}");
            } else {
                let p = r.err().unwrap_or_else(|| panic!("{o:?} without basis"));
                assert!(p.basis_error.contains("请选择答复所依据的条款"), "{o:?}");
            }
            // Both: accepted, the basis in the law's order.
            let all: Vec<&str> = o.articles().iter().rev().copied().collect();
            let (_, got, details) =
                check(&input(o.key(), &all, "某理由")).unwrap_or_else(|_| panic!("{o:?}"));
            assert_eq!(got, o);
            assert_eq!(details.basis, o.articles());
        }
    }

    #[test]
    fn a_basis_of_another_outcome_is_refused_and_entries_are_kept() {
        let p = check(&input(
            Outcome::PartiallyDisclosed.key(),
            &["第十四条"],
            "含有个人隐私",
        ))
        .expect_err("refused");
        assert!(p.basis_error.contains("第三十七条"), "{}", p.basis_error);
        assert_eq!(p.reasons, "含有个人隐私");
        assert!(
            p.groups
                .iter()
                .flat_map(|g| &g.outcomes)
                .any(|o| o.selected && o.value == "partially_disclosed")
        );
        assert!(p.basis.iter().any(|b| b.checked && b.article == "第十四条"));
        assert!(
            check(&input("", &[], ""))
                .err()
                .is_some_and(|p| !p.outcome_error.is_empty())
        );
    }

    #[test]
    fn the_picker_groups_every_outcome_under_its_heading() {
        let p = ReplyPicker::new(&ReplyInput::default());
        let headings: Vec<&str> = p.groups.iter().map(|g| g.heading).collect();
        assert_eq!(
            headings,
            [
                "予以公开",
                "部分公开",
                "不予公开",
                "无法提供",
                "不予处理",
                "其他处理"
            ]
        );
        assert_eq!(
            p.groups.iter().map(|g| g.outcomes.len()).sum::<usize>(),
            Outcome::ALL.len()
        );
        let unique: BTreeSet<&str> = p.basis.iter().map(|b| b.article).collect();
        assert_eq!(unique.len(), p.basis.len());
    }
}
