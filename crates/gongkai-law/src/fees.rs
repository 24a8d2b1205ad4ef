//! The information-processing fee (信息处理费) of Art. 42, as 《政府信息公开信息处理费管理办法》
//! (国办函〔2020〕109号) sets it for charging by the request (按件计收).
//!
//! Requests are counted per applicant per natural month: the first 10 are free, the 11th to
//! the 30th cost 100 元 each, and from the 31st every further band of 10 requests costs
//! 100 元 more per request (31–40: 200 元, 41–50: 300 元 …). Charging by the page (按量计收,
//! its Art. 5) is the other method: 30 pages free, the 31st to the 100th page 10 元 each, the
//! 101st to the 200th 20 元, every page from the 201st 40 元. Both are progressive (超额累进,
//! Art. 3): each band's price applies to the part inside it. One application is charged by
//! one method only ([`FeeMethod`]).

/// Requests per applicant per natural month that are free.
pub const FREE_REQUESTS_PER_MONTH: u32 = 10;

/// The fee in 元 of the request that is the `ordinal`-th (1-based) of its applicant in its
/// natural month. `ordinal = 0` (no request) costs nothing.
///
/// ```
/// use gongkai_law::fee_for_request;
/// assert_eq!(fee_for_request(10), 0);
/// assert_eq!(fee_for_request(11), 100);
/// assert_eq!(fee_for_request(31), 200);
/// ```
pub fn fee_for_request(ordinal: u32) -> u32 {
    match ordinal {
        0..=FREE_REQUESTS_PER_MONTH => 0,
        11..=30 => 100,
        // 31–40 is the first band above 30 (200 元), 41–50 the second (300 元) …
        n => 100u32.saturating_mul(1 + (n - 30).div_ceil(10)),
    }
}

/// The total fee in 元 of `requests` requests by one applicant in one natural month.
pub fn monthly_fee(requests: u32) -> u64 {
    (1..=requests).map(|n| u64::from(fee_for_request(n))).sum()
}

/// Pages of one application that are free when charging by the page.
pub const FREE_PAGES: u32 = 30;

/// The fee in 元 of one application of `pages` pages charged by the page (按量计收): the part
/// up to 30 pages is free, pages 31–100 cost 10 元, 101–200 20 元, from 201 40 元 each.
///
/// ```
/// use gongkai_law::fee_for_pages;
/// assert_eq!(fee_for_pages(30), 0);
/// assert_eq!(fee_for_pages(31), 10);
/// assert_eq!(fee_for_pages(101), 720);
/// ```
pub fn fee_for_pages(pages: u32) -> u64 {
    const BANDS: [(u32, u32, u64); 3] = [(31, 100, 10), (101, 200, 20), (201, u32::MAX, 40)];
    BANDS
        .iter()
        .filter(|(from, _, _)| pages >= *from)
        .map(|(from, to, price)| u64::from(pages.min(*to) - from + 1) * price)
        .sum()
}

/// How one application is charged (国办函〔2020〕109号 Art. 3: one method per application,
/// never both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收: by the applicant's requests in the natural month.
    PerRequest,
    /// 按量计收: by the pages of the information provided.
    PerPage,
}

impl FeeMethod {
    /// Both methods.
    pub const ALL: [FeeMethod; 2] = [FeeMethod::PerRequest, FeeMethod::PerPage];

    /// A stable key.
    pub fn key(self) -> &'static str {
        match self {
            FeeMethod::PerRequest => "per_request",
            FeeMethod::PerPage => "per_page",
        }
    }

    /// Reads a key.
    pub fn parse(s: &str) -> Option<FeeMethod> {
        FeeMethod::ALL.into_iter().find(|m| m.key() == s.trim())
    }

    /// The method's name (按件计收 / 按量计收).
    pub fn label(self) -> &'static str {
        match self {
            FeeMethod::PerRequest => "按件计收",
            FeeMethod::PerPage => "按量计收",
        }
    }

    /// What the quantity counts: the request's number in the applicant's month, or pages.
    pub fn quantity_label(self) -> &'static str {
        match self {
            FeeMethod::PerRequest => "本件为该申请人本自然月内的第几件申请",
            FeeMethod::PerPage => "所提供信息的页数",
        }
    }

    /// The fee in 元 for `quantity` (the request's ordinal, or the pages).
    pub fn amount(self, quantity: u32) -> u64 {
        match self {
            FeeMethod::PerRequest => u64::from(fee_for_request(quantity)),
            FeeMethod::PerPage => fee_for_pages(quantity),
        }
    }

    /// The basis a 收费通知书 cites: the article of 国办函〔2020〕109号 and its standard.
    pub fn basis(self) -> &'static str {
        match self {
            FeeMethod::PerRequest => {
                "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第四条：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件"
            }
            FeeMethod::PerPage => {
                "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第五条：30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页"
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn page_band_edges() {
        for (pages, fee) in [
            (0, 0),
            (30, 0),
            (31, 10),
            (100, 700),
            (101, 720),
            (200, 2_700),
            (201, 2_740),
            (250, 4_700),
        ] {
            assert_eq!(fee_for_pages(pages), fee, "{pages} pages");
        }
    }

    #[test]
    fn methods_price_their_quantity() {
        assert_eq!(FeeMethod::PerRequest.amount(11), 100);
        assert_eq!(FeeMethod::PerPage.amount(11), 0);
        for m in FeeMethod::ALL {
            assert_eq!(FeeMethod::parse(m.key()), Some(m));
        }
    }

    #[test]
    fn band_edges() {
        for (ordinal, fee) in [
            (1, 0),
            (10, 0),
            (11, 100),
            (30, 100),
            (31, 200),
            (40, 200),
            (41, 300),
            (50, 300),
            (51, 400),
        ] {
            assert_eq!(fee_for_request(ordinal), fee, "request no. {ordinal}");
        }
    }

    #[test]
    fn monthly_totals_at_band_edges() {
        assert_eq!(monthly_fee(0), 0);
        assert_eq!(monthly_fee(10), 0);
        assert_eq!(monthly_fee(11), 100);
        assert_eq!(monthly_fee(30), 2_000);
        assert_eq!(monthly_fee(31), 2_200);
        assert_eq!(monthly_fee(40), 4_000);
        assert_eq!(monthly_fee(41), 4_300);
    }
}
