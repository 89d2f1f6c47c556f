//! Service levels: what a touchpoint or a channel promises its customers.

use serde::{Deserialize, Serialize};

use super::Channel;

/// A promise of the form "a share of contacts within so many seconds", such as the contact
/// centre's 80/20 rule: 80% of calls answered within 20 seconds.
///
/// Written in files as `(seconds: 20, share: 0.8)`.
///
/// # Example
///
/// ```
/// use journey_map::Within;
///
/// let eighty_twenty = Within::new(20.0, 0.8);
/// assert!(eighty_twenty.is_met_by(15.0));
/// assert!(!eighty_twenty.is_met_by(21.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Within {
    /// The time promised, in seconds; positive and finite.
    pub seconds: f64,
    /// The share of contacts promised within that time, in `0..=1`.
    pub share: f64,
}

impl Within {
    /// A promise of `share` of contacts within `seconds`.
    pub fn new(seconds: f64, share: f64) -> Self {
        Self { seconds, share }
    }

    /// Whether a contact that took `seconds` is within the promised time (at most it).
    pub fn is_met_by(&self, seconds: f64) -> bool {
        seconds <= self.seconds
    }
}

/// The targets a touchpoint promises its customers. Every target is optional; a touchpoint
/// with none set promises nothing.
///
/// | target | measured on | missed when |
/// |---|---|---|
/// | `answer` | the `wait_seconds` of each contact | fewer than `share` of contacts waited at most `seconds` |
/// | `max_abandonment` | each contact's outcome | more than this share of contacts were abandoned |
/// | `min_csat` | each CSAT answer | fewer than this share of answers are in the top two boxes |
/// | `resolution` | each need first raised here | fewer than `share` were resolved within `seconds` |
///
/// A journey file sets them on a touchpoint (`service_level: (answer: (seconds: 20, share:
/// 0.8))`) or for a whole channel in the journey's `service_levels` list; a touchpoint's own
/// targets take precedence, target by target, over its channel's (see
/// [`Journey::service_level`](crate::Journey::service_level)).
///
/// # Example
///
/// ```
/// use journey_map::{ServiceLevel, Within};
///
/// let phone = ServiceLevel::default()
///     .with_answer(Within::new(20.0, 0.8))
///     .with_max_abandonment(0.05);
/// assert_eq!(phone.answer, Some(Within::new(20.0, 0.8)));
/// assert!(!phone.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceLevel {
    /// Contacts answered (waits) within a time, for a share of contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Within>,
    /// The largest share of contacts abandoned, in `0..=1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_abandonment: Option<f64>,
    /// The least share of CSAT answers in the top two boxes, in `0..=1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_csat: Option<f64>,
    /// Needs resolved within a time (from the first contact), for a share of needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Within>,
}

impl ServiceLevel {
    /// Sets the answer target.
    pub fn with_answer(mut self, answer: Within) -> Self {
        self.answer = Some(answer);
        self
    }

    /// Sets the largest share of contacts abandoned.
    pub fn with_max_abandonment(mut self, share: f64) -> Self {
        self.max_abandonment = Some(share);
        self
    }

    /// Sets the least share of CSAT answers in the top two boxes.
    pub fn with_min_csat(mut self, share: f64) -> Self {
        self.min_csat = Some(share);
        self
    }

    /// Sets the resolution target.
    pub fn with_resolution(mut self, resolution: Within) -> Self {
        self.resolution = Some(resolution);
        self
    }

    /// Whether no target is set.
    pub fn is_empty(&self) -> bool {
        self.answer.is_none()
            && self.max_abandonment.is_none()
            && self.min_csat.is_none()
            && self.resolution.is_none()
    }

    /// These targets, each one missing here taken from `fallback`.
    pub fn or(self, fallback: &ServiceLevel) -> ServiceLevel {
        ServiceLevel {
            answer: self.answer.or(fallback.answer),
            max_abandonment: self.max_abandonment.or(fallback.max_abandonment),
            min_csat: self.min_csat.or(fallback.min_csat),
            resolution: self.resolution.or(fallback.resolution),
        }
    }

    /// Every target that is out of range, as (field, value, what it may be).
    pub(crate) fn out_of_range(&self) -> Vec<(&'static str, f64, &'static str)> {
        let share = |v: f64| (0.0..=1.0).contains(&v);
        let seconds = |v: f64| v.is_finite() && v > 0.0;
        let mut bad = Vec::new();
        for (name, within) in [("answer", self.answer), ("resolution", self.resolution)] {
            if let Some(w) = within {
                if !seconds(w.seconds) {
                    bad.push((
                        if name == "answer" {
                            "answer.seconds"
                        } else {
                            "resolution.seconds"
                        },
                        w.seconds,
                        "positive, finite seconds",
                    ));
                }
                if !share(w.share) {
                    bad.push((
                        if name == "answer" {
                            "answer.share"
                        } else {
                            "resolution.share"
                        },
                        w.share,
                        "a share in 0..=1",
                    ));
                }
            }
        }
        for (name, value) in [
            ("max_abandonment", self.max_abandonment),
            ("min_csat", self.min_csat),
        ] {
            if let Some(v) = value
                && !share(v)
            {
                bad.push((name, v, "a share in 0..=1"));
            }
        }
        bad
    }
}

/// The service level of every touchpoint of one channel, unless a touchpoint sets its own.
///
/// Written in a journey file's `service_levels` list as `(channel: Phone, level: (answer:
/// (seconds: 20, share: 0.8)))`.
///
/// # Example
///
/// ```
/// use journey_map::{Channel, ChannelServiceLevel, ServiceLevel, Within};
///
/// let phone = ChannelServiceLevel::new(Channel::Phone, ServiceLevel::default().with_answer(Within::new(20.0, 0.8)));
/// assert_eq!(phone.channel, Channel::Phone);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ChannelServiceLevel {
    /// The channel.
    pub channel: Channel,
    /// Its targets.
    pub level: ServiceLevel,
}

impl ChannelServiceLevel {
    /// The service level of a channel.
    pub fn new(channel: Channel, level: ServiceLevel) -> Self {
        Self { channel, level }
    }
}
