//! The information-processing fee (信息处理费) of Art. 42, as 《政府信息公开信息处理费管理办法》
//! (国办函〔2020〕109号) sets it for charging by the request (按件计收).
//!
//! Requests are counted per applicant per natural month: the first 10 are free, the 11th to
//! the 30th cost 100 元 each, and from the 31st every further band of 10 requests costs
//! 100 元 more per request (31–40: 200 元, 41–50: 300 元 …). Charging by the page (按量计收)
//! is the other method of the same document and is not modelled here.

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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
