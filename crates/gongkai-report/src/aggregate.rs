//! Sums the reports of several agencies for one year and format (汇总).
