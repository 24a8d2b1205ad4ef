//! Statuses and kinds read from their stored keys.
//!
//! A row never carries a status or a kind as text: every one is an enum whose `key()` is the
//! text the database holds and whose `TryFrom<String>` reads it back (`tests/typed_rows.rs`
//! keeps it so). Rows read by `sqlx::FromRow` name the conversion on the field
//! (`#[sqlx(try_from = "String")]`); rows built by hand read it with [`column`]. A key the
//! enum does not know is a decoding error of that column, as a malformed date would be.

use gongkai_law::{Channel, Outcome};
use sqlx::error::BoxDynError;
use sqlx::{ColumnIndex, Database, Decode, Row, Type};

use crate::StoreError;

/// Reads column `col` of `r` as the enum whose key it holds.
pub(crate) fn column<R, T>(r: &R, col: &str) -> Result<T, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    String: for<'a> Decode<'a, R::Database> + Type<R::Database>,
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    let text: String = r.try_get(col)?;
    T::try_from(text).map_err(|e| decode_error(col, e))
}

/// Reads nullable column `col` of `r` as the enum whose key it holds, if any.
pub(crate) fn optional_column<R, T>(r: &R, col: &str) -> Result<Option<T>, StoreError>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    Option<String>: for<'a> Decode<'a, R::Database> + Type<R::Database>,
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    let text: Option<String> = r.try_get(col)?;
    text.map(T::try_from)
        .transpose()
        .map_err(|e| decode_error(col, e))
}

fn decode_error(col: &str, e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Db(sqlx::Error::ColumnDecode {
        index: col.to_string(),
        source: Box::new(e),
    })
}

/// A nullable text column, the `try_from` intermediate of an optional key read by
/// `sqlx::FromRow` (`#[sqlx(try_from = "crate::keyed::NullableKey")]` on an `Option<T>`).
pub(crate) struct NullableKey(Option<String>);

impl<'r, DB: Database> Decode<'r, DB> for NullableKey
where
    Option<String>: Decode<'r, DB>,
{
    fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(NullableKey(<Option<String> as Decode<'r, DB>>::decode(
            value,
        )?))
    }
}

impl<DB: Database> Type<DB> for NullableKey
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

impl TryFrom<NullableKey> for Option<Outcome> {
    type Error = gongkai_law::UnknownKey;

    fn try_from(k: NullableKey) -> Result<Self, Self::Error> {
        k.0.map(Outcome::try_from).transpose()
    }
}

/// Serialises a channel as its stored key (`in-person`, `letter` …), as rows always did (the
/// clock's own serde names are `in_person`, `ordinary_letter`).
pub(crate) fn channel_key<S: serde::Serializer>(c: &Channel, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.key())
}
