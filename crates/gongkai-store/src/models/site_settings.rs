//! What a site says about itself (issue 11.5): the footer's 网站标识码, ICP 备案号 and 公安机关
//! 备案号, and the 政府信息公开指南's office — the 政府信息公开工作机构's name, address,
//! postcode, phone, fax, office hours and e-mail. One row per site, keyed by the site's agency
//! (the root of the subtree it publishes for); the system admin edits it on the back office.
//! Empty text means "not set": the footer then shows the values the server was started with
//! (`GONGKAI_SITE_CODE`, `GONGKAI_ICP`), the guide shows 「—」.

use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The most characters of one field.
pub const FIELD_MAX: usize = 200;

/// A site's settings. Every field is plain text, empty when not set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SiteSettings {
    /// 政府网站标识码 (10 characters, e.g. 4114260001).
    pub site_code: String,
    /// ICP 备案号, e.g. 豫ICP备05012345号.
    pub icp: String,
    /// 公安机关备案号, e.g. 豫公网安备 41142602000101号.
    pub police_record: String,
    /// 政府信息公开工作机构 (name of the office).
    pub office_name: String,
    /// Its address.
    pub office_address: String,
    /// 邮政编码 (6 digits).
    pub postcode: String,
    /// 联系电话
    pub phone: String,
    /// 传真
    pub fax: String,
    /// 办公时间
    pub office_hours: String,
    /// 电子邮箱
    pub email: String,
}

impl SiteSettings {
    /// The fields as (column, label, value), in the order forms and the audit log list them.
    pub fn fields(&self) -> [(&'static str, &'static str, &str); 10] {
        [
            ("site_code", "网站标识码", &self.site_code),
            ("icp", "ICP备案号", &self.icp),
            ("police_record", "公安机关备案号", &self.police_record),
            ("office_name", "政府信息公开工作机构", &self.office_name),
            ("office_address", "办公地址", &self.office_address),
            ("postcode", "邮政编码", &self.postcode),
            ("phone", "联系电话", &self.phone),
            ("fax", "传真", &self.fax),
            ("office_hours", "办公时间", &self.office_hours),
            ("email", "电子邮箱", &self.email),
        ]
    }

    /// The settings trimmed and checked: each field at most [`FIELD_MAX`] characters, a
    /// postcode of six digits, a site code of ten letters or digits; the refusal names the field.
    pub fn checked(&self) -> Result<SiteSettings, StoreError> {
        let t = |s: &str| s.trim().to_string();
        let s = SiteSettings {
            site_code: t(&self.site_code),
            icp: t(&self.icp),
            police_record: t(&self.police_record),
            office_name: t(&self.office_name),
            office_address: t(&self.office_address),
            postcode: t(&self.postcode),
            phone: t(&self.phone),
            fax: t(&self.fax),
            office_hours: t(&self.office_hours),
            email: t(&self.email),
        };
        for (_, label, value) in s.fields() {
            if value.chars().count() > FIELD_MAX {
                return Err(StoreError::invalid(format!(
                    "“{label}”不能超过{FIELD_MAX}个字。"
                )));
            }
        }
        let digits = |v: &str, n: usize| v.len() == n && v.bytes().all(|b| b.is_ascii_digit());
        if !(s.postcode.is_empty() || digits(&s.postcode, 6)) {
            return Err(StoreError::invalid("“邮政编码”须为6位数字。"));
        }
        let code_ok =
            s.site_code.len() == 10 && s.site_code.bytes().all(|b| b.is_ascii_alphanumeric());
        if !(s.site_code.is_empty() || code_ok) {
            return Err(StoreError::invalid("“网站标识码”须为10位数字或字母。"));
        }
        Ok(s)
    }
}

/// The settings of the site of `agency_id`, if any were saved.
pub async fn get(store: &Store, agency_id: i64) -> Result<Option<SiteSettings>, StoreError> {
    on_db!(store, pool => {
        sqlx::query(
            "SELECT site_code, icp, police_record, office_name, office_address, postcode, phone, \
             fax, office_hours, email FROM site_settings WHERE agency_id = $1",
        )
        .bind(agency_id)
        .fetch_optional(pool)
        .await?
        .map(|r| {
            Ok::<_, StoreError>(SiteSettings {
                site_code: r.try_get("site_code")?,
                icp: r.try_get("icp")?,
                police_record: r.try_get("police_record")?,
                office_name: r.try_get("office_name")?,
                office_address: r.try_get("office_address")?,
                postcode: r.try_get("postcode")?,
                phone: r.try_get("phone")?,
                fax: r.try_get("fax")?,
                office_hours: r.try_get("office_hours")?,
                email: r.try_get("email")?,
            })
        })
        .transpose()
    })
}

/// Saves the settings of the site of `agency_id` (checked by [`SiteSettings::checked`]), with
/// an audit entry naming the fields that changed.
pub async fn set(
    store: &Store,
    actor: &str,
    agency_id: i64,
    settings: &SiteSettings,
) -> Result<SiteSettings, StoreError> {
    let s = settings.checked()?;
    let before = get(store, agency_id).await?.unwrap_or_default();
    let changed: Vec<&str> = s
        .fields()
        .iter()
        .zip(before.fields())
        .filter(|(a, b)| a.2 != b.2)
        .map(|(a, _)| a.1)
        .collect();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let detail = serde_json::json!({"changed": changed, "settings": &s}).to_string();
        audit_append!(tx, actor, "site.settings", "agency", &agency_id.to_string(), &detail);
        sqlx::query(
            "INSERT INTO site_settings (agency_id, site_code, icp, police_record, office_name, \
             office_address, postcode, phone, fax, office_hours, email) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (agency_id) DO UPDATE SET \
             site_code = excluded.site_code, icp = excluded.icp, police_record = excluded.police_record, \
             office_name = excluded.office_name, office_address = excluded.office_address, \
             postcode = excluded.postcode, phone = excluded.phone, fax = excluded.fax, \
             office_hours = excluded.office_hours, email = excluded.email",
        )
        .bind(agency_id)
        .bind(&s.site_code)
        .bind(&s.icp)
        .bind(&s.police_record)
        .bind(&s.office_name)
        .bind(&s.office_address)
        .bind(&s.postcode)
        .bind(&s.phone)
        .bind(&s.fax)
        .bind(&s.office_hours)
        .bind(&s.email)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_trimmed_and_checked_by_name() {
        let ok = SiteSettings {
            postcode: " 476400 ".into(),
            site_code: "4114260001".into(),
            ..SiteSettings::default()
        }
        .checked()
        .unwrap();
        assert_eq!(ok.postcode, "476400");
        for (s, field) in [
            (
                SiteSettings {
                    postcode: "47640".into(),
                    ..SiteSettings::default()
                },
                "邮政编码",
            ),
            (
                SiteSettings {
                    site_code: "41142".into(),
                    ..SiteSettings::default()
                },
                "网站标识码",
            ),
            (
                SiteSettings {
                    office_address: "路".repeat(FIELD_MAX + 1),
                    ..SiteSettings::default()
                },
                "办公地址",
            ),
        ] {
            let e = s.checked().unwrap_err().to_string();
            assert!(e.contains(field), "{field}: {e}");
        }
    }
}
