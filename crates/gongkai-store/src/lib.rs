//! Gongkai's records and the queries over them.
//!
//! Architecture invariant: nothing above this crate writes SQL.
