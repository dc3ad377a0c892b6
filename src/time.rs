//! Timestamps as callbacks write them, and the error for typed values.
//!
//! Tencent Cloud Infinite writes three layouts (crate docs, *Callback variants*):
//!
//! | layout | where |
//! |---|---|
//! | `2022-07-25T16:35:39+0800` | jobs (`CreationTime`, `StartTime`, `EndTime`); the offset has no colon, so it is not RFC 3339 |
//! | `2022-08-09 14:54:17+0800` | workflows (`CreateTime`) |
//! | `2021-08-10T21:01:10+08:00` | content moderation |
//!
//! [`Timestamp::parse`] accepts all three, in any mix (`T` or a space; an
//! offset `±hhmm`, `±hh:mm` or `Z`), and reads `-` or the empty text as "not
//! set". Nothing else is accepted: no fractional seconds, no missing offset,
//! no leap second (`:60` cannot be given as Unix seconds). Parsing never
//! allocates; every failure is an [`Error`] of kind [`ErrorKind::Value`] that says which part is wrong.

use core::fmt;

use crate::error::{Error, ErrorKind, ValueErrorKind};

/// A point in time as written in a callback: the local date and time, and
/// the UTC offset it was written with.
///
/// # Examples
/// ```
/// use wanxiang::Timestamp;
/// let t = Timestamp::parse("2022-07-25T16:35:39+0800")?.unwrap();
/// assert_eq!(t.unix(), 1_658_738_139);
/// assert_eq!(t.offset_seconds(), 8 * 3600);
/// assert_eq!((t.year(), t.month(), t.day()), (2022, 7, 25));
/// assert_eq!(t.to_string(), "2022-07-25T16:35:39+08:00");
/// // The other two layouts, and "not set".
/// assert_eq!(Timestamp::parse("2022-07-25 16:35:39+0800")?, Some(t));
/// assert_eq!(Timestamp::parse("2022-07-25T08:35:39Z")?.unwrap().unix(), t.unix());
/// assert_eq!(Timestamp::parse("-")?, None);
/// # Ok::<(), wanxiang::Error>(())
/// ```
///
/// # Equality and order
/// `==` compares the timestamp as written: the same instant written with two
/// offsets (`16:35:39+0800` and `08:35:39Z`) is two unequal values. The order
/// is by instant first ([`unix`](Timestamp::unix)); equal instants are then
/// ordered by offset, west of UTC before east. So `a.cmp(&b) == Equal` exactly
/// when `a == b`, as `Ord` requires; compare [`unix`](Timestamp::unix) values
/// to ask "same instant?".
/// ```
/// use wanxiang::Timestamp;
/// let beijing = Timestamp::parse("2022-07-25T16:35:39+0800")?.unwrap();
/// let utc = Timestamp::parse("2022-07-25T08:35:39Z")?.unwrap();
/// let later = Timestamp::parse("2022-07-25T08:35:40Z")?.unwrap();
/// assert!(utc < beijing && beijing < later); // same instant: UTC (+0) first
/// assert_eq!(utc.unix(), beijing.unix());
/// assert_ne!(utc, beijing);
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// East of UTC, in minutes.
    offset_minutes: i16,
}

impl Timestamp {
    /// Parses one of the three layouts; `Ok(None)` for `-` or the empty text.
    ///
    /// # Errors
    /// An [`Error`] of kind [`ErrorKind::Value`] whose offset is the byte of `text` where the problem
    /// starts (line 1): [`ValueErrorKind::Syntax`] for a layout error, or the
    /// field that is out of range (month 01–12, a day that exists in that
    /// month of that year, hour 00–23, minute and second 00–59, offset at most
    /// ±23:59).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{ErrorKind, Timestamp, ValueErrorKind};
    /// assert_eq!(Timestamp::parse("")?, None);
    /// let e = Timestamp::parse("2023-02-29T00:00:00+0800").unwrap_err();
    /// assert_eq!((e.kind(), e.offset()), (ErrorKind::Value(ValueErrorKind::Day), 8));
    /// assert!(Timestamp::parse("2024-02-29T00:00:00+0800")?.is_some()); // leap year
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Option<Timestamp>, Error> {
        parse_at(text.as_bytes()).map_err(|(kind, at)| value_error(kind, at, text.as_bytes()))
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before it).
    pub fn unix(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let local = days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        local - i64::from(self.offset_seconds())
    }

    /// The same instant as a [`SystemTime`](std::time::SystemTime); `None`
    /// only when the platform's `SystemTime` cannot hold it (on Windows it
    /// starts in 1601; the offset is not kept, as `SystemTime` has none).
    ///
    /// # Examples
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use wanxiang::Timestamp;
    /// let t = Timestamp::parse("2022-07-25T16:35:39+0800")?.unwrap();
    /// let st = t.to_system_time().unwrap();
    /// assert_eq!(st.duration_since(UNIX_EPOCH).unwrap(), Duration::from_secs(1_658_738_139));
    /// let before_1970 = Timestamp::parse("1969-12-31T23:59:59Z")?.unwrap();
    /// assert_eq!(before_1970.to_system_time(), UNIX_EPOCH.checked_sub(Duration::from_secs(1)));
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn to_system_time(&self) -> Option<std::time::SystemTime> {
        use std::time::{Duration, UNIX_EPOCH};
        let secs = self.unix();
        let span = Duration::from_secs(secs.unsigned_abs());
        if secs >= 0 {
            UNIX_EPOCH.checked_add(span)
        } else {
            UNIX_EPOCH.checked_sub(span)
        }
    }

    /// The UTC offset the time was written with, in seconds east of UTC.
    pub fn offset_seconds(&self) -> i32 {
        i32::from(self.offset_minutes) * 60
    }

    /// The year as written (0–9999).
    pub fn year(&self) -> u16 {
        self.year
    }
    /// The month as written (1–12).
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month as written (1–31).
    pub fn day(&self) -> u8 {
        self.day
    }
    /// The hour as written, in the local time of the offset (0–23).
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// The minute as written (0–59).
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// The second as written (0–59).
    pub fn second(&self) -> u8 {
        self.second
    }
}

/// The same instant with the same offset (feature `chrono`).
///
/// # Examples
/// ```
/// use chrono::{DateTime, FixedOffset, Timelike};
/// let t = wanxiang::Timestamp::parse("2022-07-25T16:35:39+0800")?.unwrap();
/// let dt: DateTime<FixedOffset> = t.into();
/// assert_eq!((dt.hour(), dt.minute(), dt.second()), (16, 35, 39));
/// assert_eq!(dt.offset().local_minus_utc(), 8 * 3600);
/// assert_eq!(dt.timestamp(), t.unix());
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[cfg(feature = "chrono")]
impl From<Timestamp> for chrono::DateTime<chrono::FixedOffset> {
    fn from(t: Timestamp) -> Self {
        use chrono::{DateTime, FixedOffset, Offset, Utc};
        // Neither fallback is reachable: a parsed offset is under a day
        // (`east_opt` accepts up to ±86 399 s) and years 0000–9999 are well
        // inside chrono's range (a test checks both extremes).
        let offset = FixedOffset::east_opt(t.offset_seconds()).unwrap_or(Utc.fix());
        DateTime::from_timestamp(t.unix(), 0)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
            .with_timezone(&offset)
    }
}

/// The same instant (feature `jiff`); the offset is dropped, as
/// `jiff::Timestamp` has none (convert to `jiff::Zoned` to keep it).
///
/// # Errors
/// jiff's own error for instants after 9999-12-30T22:00:00Z, the end of
/// jiff's range (it keeps room for any offset inside year 9999); every
/// earlier timestamp converts.
///
/// # Examples
/// ```
/// let t = wanxiang::Timestamp::parse("2022-07-25T16:35:39+0800")?.unwrap();
/// let instant = jiff::Timestamp::try_from(t).unwrap();
/// assert_eq!(instant.as_second(), t.unix());
/// let late = wanxiang::Timestamp::parse("9999-12-31T23:59:59-0800")?.unwrap();
/// assert!(jiff::Timestamp::try_from(late).is_err());
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[cfg(feature = "jiff")]
impl TryFrom<Timestamp> for jiff::Timestamp {
    type Error = jiff::Error;
    fn try_from(t: Timestamp) -> Result<Self, jiff::Error> {
        jiff::Timestamp::from_second(t.unix())
    }
}

/// The same instant in a fixed-offset time zone of the written offset (feature `jiff`).
///
/// # Errors
/// As for `jiff::Timestamp` (instants after 9999-12-30T22:00:00Z).
///
/// # Examples
/// ```
/// let t = wanxiang::Timestamp::parse("2022-08-09 14:54:17+0800")?.unwrap();
/// let zoned = jiff::Zoned::try_from(t).unwrap();
/// assert_eq!(zoned.to_string(), "2022-08-09T14:54:17+08:00[+08:00]");
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[cfg(feature = "jiff")]
impl TryFrom<Timestamp> for jiff::Zoned {
    type Error = jiff::Error;
    fn try_from(t: Timestamp) -> Result<Self, jiff::Error> {
        let offset = jiff::tz::Offset::from_seconds(t.offset_seconds())?;
        Ok(jiff::Timestamp::try_from(t)?.to_zoned(jiff::tz::TimeZone::fixed(offset)))
    }
}

impl Ord for Timestamp {
    /// By instant, then by offset (west before east); see [Equality and order](Timestamp#equality-and-order).
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        (self.unix(), self.offset_minutes).cmp(&(other.unix(), other.offset_minutes))
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 with the original offset: `2022-07-25T16:35:39+08:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            off / 60,
            off % 60
        )
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date
/// (H. Hinnant's `days_from_civil`, valid for every year we accept).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A failure inside a value: what, and the byte of the value where.
pub(crate) type ValueFail = (ValueErrorKind, usize);

/// The parser behind [`Timestamp::parse`]: byte positions in errors.
pub(crate) fn parse_at(b: &[u8]) -> Result<Option<Timestamp>, ValueFail> {
    if b.is_empty() || b == b"-" {
        return Ok(None);
    }
    let syntax = |expected: &'static str, at: usize| Err((ValueErrorKind::Syntax { expected }, at));
    // Reads `n` digits at `at`.
    let digits = |at: usize, n: usize| -> Result<u16, ValueFail> {
        let mut v: u16 = 0;
        for k in at..at + n {
            match b.get(k) {
                Some(&d) if d.is_ascii_digit() => v = v * 10 + u16::from(d - b'0'),
                _ => {
                    return Err((
                        ValueErrorKind::Syntax {
                            expected: "a digit",
                        },
                        k,
                    ))
                }
            }
        }
        Ok(v)
    };
    let sep = |at: usize, ok: &[u8], expected: &'static str| -> Result<u8, ValueFail> {
        match b.get(at) {
            Some(c) if ok.contains(c) => Ok(*c),
            _ => Err((ValueErrorKind::Syntax { expected }, at)),
        }
    };
    let year = digits(0, 4)?;
    sep(4, b"-", "`-`")?;
    let month = digits(5, 2)?;
    sep(7, b"-", "`-`")?;
    let day = digits(8, 2)?;
    sep(10, b"T ", "`T` or a space")?;
    let hour = digits(11, 2)?;
    sep(13, b":", "`:`")?;
    let minute = digits(14, 2)?;
    sep(16, b":", "`:`")?;
    let second = digits(17, 2)?;
    let sign = sep(19, b"+-Z", "a UTC offset (`+hhmm`, `+hh:mm` or `Z`)")?;
    let (offset, end) = if sign == b'Z' {
        (0, 20)
    } else {
        let oh = digits(20, 2)?;
        let colon = b.get(22) == Some(&b':');
        let m_at = if colon { 23 } else { 22 };
        let om = digits(m_at, 2)?;
        if oh > 23 {
            return Err((ValueErrorKind::Offset, 20));
        }
        if om > 59 {
            return Err((ValueErrorKind::Offset, m_at));
        }
        let minutes = i16::try_from(oh * 60 + om).unwrap_or(0);
        (if sign == b'-' { -minutes } else { minutes }, m_at + 2)
    };
    if end != b.len() {
        return syntax("the end of the timestamp", end);
    }
    // Small values: every `digits` result below fits its field.
    let narrow = |v: u16| u8::try_from(v).unwrap_or(u8::MAX);
    let (month, day, hour, minute, second) = (
        narrow(month),
        narrow(day),
        narrow(hour),
        narrow(minute),
        narrow(second),
    );
    if !(1..=12).contains(&month) {
        return Err((ValueErrorKind::Month, 5));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err((ValueErrorKind::Day, 8));
    }
    if hour > 23 {
        return Err((ValueErrorKind::Hour, 11));
    }
    if minute > 59 {
        return Err((ValueErrorKind::Minute, 14));
    }
    if second > 59 {
        return Err((ValueErrorKind::Second, 17));
    }
    Ok(Some(Timestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset_minutes: offset,
    }))
}

/// Parses a count (`JobLevel`; a path's item index): ASCII digits only (a JSON number `0` and
/// a string `"0"` read the same); `Ok(None)` for the empty text.
pub(crate) fn parse_level(b: &[u8]) -> Result<Option<u32>, ValueFail> {
    if b.is_empty() {
        return Ok(None);
    }
    let mut v: u32 = 0;
    for (k, &d) in b.iter().enumerate() {
        if !d.is_ascii_digit() {
            return Err((ValueErrorKind::Number, k));
        }
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(d - b'0')))
        {
            Some(v) => v,
            None => return Err((ValueErrorKind::Number, 0)),
        };
    }
    Ok(Some(v))
}

/// A [`ValueErrorKind`] positioned at `offset` in `input`.
#[cold]
pub(crate) fn value_error(kind: ValueErrorKind, offset: usize, input: &[u8]) -> Error {
    Error::at(ErrorKind::Value(kind), offset, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(s: &str) -> i64 {
        Timestamp::parse(s).unwrap().unwrap().unix()
    }

    #[test]
    fn unix_seconds_match_known_instants() {
        assert_eq!(unix("1970-01-01T00:00:00Z"), 0);
        assert_eq!(unix("1970-01-01T08:00:00+0800"), 0);
        assert_eq!(unix("1969-12-31T16:00:00-08:00"), 0);
        assert_eq!(unix("2000-03-01T00:00:00Z"), 951_868_800);
        assert_eq!(unix("2024-02-29T12:00:00Z"), 1_709_208_000);
        assert_eq!(unix("0000-01-01T00:00:00Z"), -62_167_219_200);
        assert_eq!(unix("9999-12-31T23:59:59Z"), 253_402_300_799);
    }

    #[test]
    fn order_is_by_instant_then_offset_and_agrees_with_eq() {
        let ts: alloc::vec::Vec<Timestamp> = [
            "2022-07-25T16:35:39+0800",
            "2022-07-25T08:35:39Z",
            "2022-07-25T03:35:39-05:00",
            "2022-07-25T08:35:38Z",
            "2022-07-25T16:35:40+0800",
            "1969-12-31T23:59:59Z",
            "9999-12-31T23:59:59-23:59",
            "0000-01-01T00:00:00+23:59",
        ]
        .iter()
        .map(|s| Timestamp::parse(s).unwrap().unwrap())
        .collect();
        for a in &ts {
            for b in &ts {
                assert_eq!(a.cmp(b) == core::cmp::Ordering::Equal, a == b, "{a} {b}");
                if a.unix() != b.unix() {
                    assert_eq!(a.cmp(b), a.unix().cmp(&b.unix()), "{a} {b}");
                } else {
                    assert_eq!(a.cmp(b), a.offset_seconds().cmp(&b.offset_seconds()));
                }
            }
        }
    }

    /// The earliest and latest instants a `Timestamp` can hold, with the
    /// largest offsets, convert exactly (the fallbacks are never taken).
    #[cfg(any(feature = "chrono", feature = "jiff"))]
    const EXTREMES: [&str; 4] = [
        "0000-01-01T00:00:00+23:59",
        "0000-01-01T00:00:00-23:59",
        "9999-12-31T23:59:59-23:59",
        "9999-12-31T23:59:59+23:59",
    ];

    #[test]
    #[cfg(feature = "chrono")]
    fn chrono_conversion_is_exact_at_the_extremes() {
        for s in EXTREMES {
            let t = Timestamp::parse(s).unwrap().unwrap();
            let dt = chrono::DateTime::<chrono::FixedOffset>::from(t);
            assert_eq!(dt.timestamp(), t.unix(), "{s}");
            assert_eq!(dt.offset().local_minus_utc(), t.offset_seconds(), "{s}");
            use chrono::{Datelike, Timelike};
            let local = (
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second(),
            );
            let written = (
                i32::from(t.year()),
                u32::from(t.month()),
                u32::from(t.day()),
                u32::from(t.hour()),
                u32::from(t.minute()),
                u32::from(t.second()),
            );
            assert_eq!(local, written, "{s}");
        }
    }

    #[test]
    #[cfg(feature = "jiff")]
    fn jiff_conversion_is_exact_or_an_error_past_its_range() {
        // jiff's last instant is 9999-12-30T22:00:00Z (as of 0.2: its range
        // leaves room for a ±25:59:59 offset inside year 9999).
        let jiff_max = 253_402_207_200;
        for s in EXTREMES {
            let t = Timestamp::parse(s).unwrap().unwrap();
            let (instant, zoned) = (jiff::Timestamp::try_from(t), jiff::Zoned::try_from(t));
            if t.unix() > jiff_max {
                assert!(instant.is_err() && zoned.is_err(), "{s}");
                continue;
            }
            assert_eq!(instant.unwrap().as_second(), t.unix(), "{s}");
            let z = zoned.unwrap();
            assert_eq!(z.offset().seconds(), t.offset_seconds(), "{s}");
            assert_eq!(z.timestamp().as_second(), t.unix(), "{s}");
            assert_eq!(i64::from(z.year()), i64::from(t.year()), "{s}");
            assert_eq!(
                (z.hour() as u8, z.minute() as u8),
                (t.hour(), t.minute()),
                "{s}"
            );
        }
        let last = Timestamp::parse("9999-12-30T22:00:00Z").unwrap().unwrap();
        assert_eq!(
            jiff::Timestamp::try_from(last).unwrap().as_second(),
            jiff_max
        );
        let past = Timestamp::parse("9999-12-30T22:00:01Z").unwrap().unwrap();
        assert!(jiff::Timestamp::try_from(past).is_err());
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level(b"0"), Ok(Some(0)));
        assert_eq!(parse_level(b"4294967295"), Ok(Some(u32::MAX)));
        assert_eq!(parse_level(b""), Ok(None));
        assert_eq!(parse_level(b"4294967296"), Err((ValueErrorKind::Number, 0)));
        assert_eq!(parse_level(b"-1"), Err((ValueErrorKind::Number, 0)));
        assert_eq!(parse_level(b"1.0"), Err((ValueErrorKind::Number, 1)));
    }
}
