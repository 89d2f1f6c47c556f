//! The journey file's document structure and its conversion to and from [`Journey`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{
    ChannelServiceLevel, Flow, Journey, JourneyBuilder, Parts, Persona, Stage, Touchpoint,
};

/// What a journey file holds, as read. Every list may be left out (it is then empty, and
/// validation reports a journey without stages or touchpoints).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Journey")]
pub(crate) struct DocumentIn {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    personas: Vec<Persona>,
    #[serde(default)]
    stages: Vec<Stage>,
    #[serde(default)]
    touchpoints: Vec<Touchpoint>,
    #[serde(default)]
    flows: Vec<Flow>,
    #[serde(default)]
    service_levels: Vec<ChannelServiceLevel>,
}

/// What a journey file holds, as written: the same fields as [`DocumentIn`], borrowed.
#[derive(Debug, Serialize)]
#[serde(rename = "Journey")]
pub(crate) struct DocumentOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    personas: &'a [Persona],
    stages: &'a [Stage],
    touchpoints: &'a [Touchpoint],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    flows: &'a [Flow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    service_levels: &'a [ChannelServiceLevel],
}

impl From<DocumentIn> for JourneyBuilder {
    fn from(mut document: DocumentIn) -> Self {
        // Lists read from a file grow by doubling: give back the spare half before the
        // journey's indices are built beside them.
        document.personas.shrink_to_fit();
        document.stages.shrink_to_fit();
        document.touchpoints.shrink_to_fit();
        document.flows.shrink_to_fit();
        JourneyBuilder {
            parts: Parts {
                name: document.name,
                description: document.description,
                personas: document.personas,
                stages: document.stages,
                touchpoints: document.touchpoints,
                flows: document.flows,
                service_levels: document.service_levels,
            },
        }
    }
}

impl<'a> From<&'a Journey> for DocumentOut<'a> {
    fn from(journey: &'a Journey) -> Self {
        DocumentOut {
            name: journey.name(),
            description: journey.description(),
            personas: journey.personas(),
            stages: journey.stages(),
            touchpoints: journey.touchpoints(),
            flows: journey.flows(),
            service_levels: journey.service_levels(),
        }
    }
}

/// A journey serializes as its document: the same structure as a RON journey file, in any serde
/// format.
impl Serialize for Journey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DocumentOut::from(self).serialize(serializer)
    }
}

/// A journey deserializes from its document and is validated like a file; a validation error
/// becomes the format's custom error listing every problem.
impl<'de> Deserialize<'de> for Journey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let document = DocumentIn::deserialize(deserializer)?;
        JourneyBuilder::from(document)
            .build()
            .map_err(serde::de::Error::custom)
    }
}
