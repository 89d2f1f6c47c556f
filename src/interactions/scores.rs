//! Survey scores and their scales.
//!
//! The field measures the same things on different scales (CSAT 1-5 or 1-7; CES 2.0 1-7 where
//! higher is easier, the older CES 1-5 where higher is harder), so the scales are an explicit
//! setting of the log, [`Scales`], and every score is checked against them when it is attached.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An inclusive range of whole-number answers, such as 1 to 5.
///
/// # Example
///
/// ```
/// use journey_map::ScoreScale;
///
/// let scale = ScoreScale::new(1, 7).ok_or("empty scale")?;
/// assert!(scale.contains(7));
/// assert!(!scale.contains(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawScale")]
pub struct ScoreScale {
    min: u8,
    max: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    min: u8,
    max: u8,
}

impl TryFrom<RawScale> for ScoreScale {
    type Error = String;

    fn try_from(raw: RawScale) -> Result<Self, Self::Error> {
        ScoreScale::new(raw.min, raw.max)
            .ok_or_else(|| format!("scale {}..={} is empty", raw.min, raw.max))
    }
}

impl ScoreScale {
    /// The scale from `min` to `max`, both included; `None` when `min > max`.
    pub const fn new(min: u8, max: u8) -> Option<Self> {
        if min <= max {
            Some(Self { min, max })
        } else {
            None
        }
    }

    /// The lowest answer.
    pub const fn min(self) -> u8 {
        self.min
    }

    /// The highest answer.
    pub const fn max(self) -> u8 {
        self.max
    }

    /// Whether `value` is an answer on this scale.
    pub const fn contains(self, value: u8) -> bool {
        self.min <= value && value <= self.max
    }
}

impl fmt::Display for ScoreScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.min, self.max)
    }
}

/// Which end of the customer effort scale means "easy".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum EffortDirection {
    /// CES 2.0: "the company made it easy for me", agreement; a higher answer is easier.
    #[default]
    HigherIsEasier,
    /// The older CES: how much effort it took; a higher answer is harder.
    HigherIsHarder,
}

/// The scales survey scores are checked against, and how they read.
///
/// The defaults are the common ones: CSAT 1-5, CES 2.0 on 1-7 with higher meaning easier, NPS
/// 0-10 (fixed by its definition) and sentiment from -1 to +1.
///
/// # Example
///
/// ```
/// use journey_map::{EffortDirection, ScoreScale, Scales};
///
/// // A survey vendor that asks CSAT on 1-7 and the old CES on 1-5.
/// let scales = Scales::default()
///     .with_csat(ScoreScale::new(1, 7).ok_or("empty")?)
///     .with_ces(ScoreScale::new(1, 5).ok_or("empty")?, EffortDirection::HigherIsHarder);
/// assert_eq!(scales.csat().max(), 7);
/// assert_eq!(scales.effort_direction(), EffortDirection::HigherIsHarder);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// Written and read through one shape (`RawScales`), so that formats which are not
// self-describing (postcard, bincode) read back what they wrote.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawScales", into = "RawScales")]
pub struct Scales {
    csat: ScoreScale,
    ces: ScoreScale,
    effort_direction: EffortDirection,
    ces_easy: u8,
    sentiment_min: f64,
    sentiment_max: f64,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename = "Scales", deny_unknown_fields, default)]
struct RawScales {
    csat: ScoreScale,
    ces: ScoreScale,
    effort_direction: EffortDirection,
    ces_easy: Option<u8>,
    sentiment_min: f64,
    sentiment_max: f64,
}

impl Default for RawScales {
    fn default() -> Self {
        let d = Scales::default();
        Self {
            csat: d.csat,
            ces: d.ces,
            effort_direction: d.effort_direction,
            ces_easy: None,
            sentiment_min: d.sentiment_min,
            sentiment_max: d.sentiment_max,
        }
    }
}

impl From<Scales> for RawScales {
    fn from(scales: Scales) -> Self {
        Self {
            csat: scales.csat,
            ces: scales.ces,
            effort_direction: scales.effort_direction,
            ces_easy: Some(scales.ces_easy),
            sentiment_min: scales.sentiment_min,
            sentiment_max: scales.sentiment_max,
        }
    }
}

impl TryFrom<RawScales> for Scales {
    type Error = String;

    fn try_from(raw: RawScales) -> Result<Self, Self::Error> {
        let mut scales = Scales::default()
            .with_csat(raw.csat)
            .with_ces(raw.ces, raw.effort_direction);
        if let Some(easy) = raw.ces_easy {
            scales = scales.with_ces_easy(easy).ok_or_else(|| {
                format!(
                    "easy CES answer {easy} is outside the CES scale {}",
                    raw.ces
                )
            })?;
        }
        scales
            .with_sentiment(raw.sentiment_min, raw.sentiment_max)
            .ok_or_else(|| {
                format!(
                    "sentiment range {}..={} is empty or beyond ±{}",
                    raw.sentiment_min,
                    raw.sentiment_max,
                    Scales::MAX_SENTIMENT
                )
            })
    }
}

impl Default for Scales {
    fn default() -> Self {
        Self {
            csat: ScoreScale { min: 1, max: 5 },
            ces: ScoreScale { min: 1, max: 7 },
            effort_direction: EffortDirection::HigherIsEasier,
            ces_easy: 5,
            sentiment_min: -1.0,
            sentiment_max: 1.0,
        }
    }
}

impl Scales {
    /// The NPS scale, 0 to 10, fixed by the definition of the Net Promoter Score.
    pub const NPS: ScoreScale = ScoreScale { min: 0, max: 10 };

    /// Sets the CSAT scale.
    pub fn with_csat(mut self, scale: ScoreScale) -> Self {
        self.csat = scale;
        self
    }

    /// Sets the CES scale and which end of it means easy. The answers counted as easy become
    /// the top three of the scale when higher is easier (5-7 on 1-7, as CES 2.0 is scored) and
    /// the bottom two when higher is harder (1-2 on 1-5); see [`Scales::with_ces_easy`].
    pub fn with_ces(mut self, scale: ScoreScale, direction: EffortDirection) -> Self {
        self.ces = scale;
        self.effort_direction = direction;
        self.ces_easy = match direction {
            EffortDirection::HigherIsEasier => scale.max().saturating_sub(2).max(scale.min()),
            EffortDirection::HigherIsHarder => scale.min().saturating_add(1).min(scale.max()),
        };
        self
    }

    /// Sets the CES answer from which an answer counts as easy: it and every easier answer.
    /// `None` when `answer` is not on the CES scale.
    pub fn with_ces_easy(mut self, answer: u8) -> Option<Self> {
        self.ces.contains(answer).then(|| {
            self.ces_easy = answer;
            self
        })
    }

    /// Whether a CES answer counts as easy.
    pub fn is_easy(&self, ces: u8) -> bool {
        match self.effort_direction {
            EffortDirection::HigherIsEasier => ces >= self.ces_easy,
            EffortDirection::HigherIsHarder => ces <= self.ces_easy,
        }
    }

    /// Whether a CSAT answer is in the top two boxes of the scale (4 or 5 on 1-5).
    pub fn is_top_two(&self, csat: u8) -> bool {
        csat >= self.csat.max().saturating_sub(1).max(self.csat.min())
    }

    /// The largest magnitude either end of the sentiment range may have: sentiments are stored
    /// as `f32` and summed exactly, and a million keeps both far from their limits.
    pub const MAX_SENTIMENT: f64 = 1e6;

    /// Sets the sentiment range; `None` unless `min < max` and both are within
    /// ±[`MAX_SENTIMENT`](Self::MAX_SENTIMENT).
    pub fn with_sentiment(mut self, min: f64, max: f64) -> Option<Self> {
        let bounded = |v: f64| v.is_finite() && v.abs() <= Self::MAX_SENTIMENT;
        if bounded(min) && bounded(max) && min < max {
            self.sentiment_min = min;
            self.sentiment_max = max;
            Some(self)
        } else {
            None
        }
    }

    /// The CSAT scale.
    pub fn csat(&self) -> ScoreScale {
        self.csat
    }

    /// The CES scale.
    pub fn ces(&self) -> ScoreScale {
        self.ces
    }

    /// Which end of the CES scale means easy.
    pub fn effort_direction(&self) -> EffortDirection {
        self.effort_direction
    }

    /// The sentiment range, both ends included.
    pub fn sentiment(&self) -> (f64, f64) {
        (self.sentiment_min, self.sentiment_max)
    }
}
