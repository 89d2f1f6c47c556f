//! Typed identifiers.
//!
//! Every item of a journey has two identifiers:
//!
//! - an **id** ([`PersonaId`], [`StageId`], [`TouchpointId`]): the string the author chose and the
//!   one written in files. Ids of different kinds are different types, so a stage id cannot be
//!   passed where a touchpoint id is expected.
//! - an **index** ([`PersonaIndex`], [`StageIndex`], [`TouchpointIndex`], [`FlowIndex`]): the item's
//!   position in the [`Journey`](crate::Journey), dense from zero in file order. Indices are what
//!   hot paths use (vectors indexed by touchpoint, interned ids in logs). They are stable for the
//!   life of a `Journey`, which is immutable, and never written to files.
//!
//! petgraph's `NodeIndex` is an implementation detail and never appears in the public API.

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        /// Formats as the quoted id (`"chatbot"`), as a string is: messages that quote an id
        /// with `{:?}` show the id, not the type around it.
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl $name {
            #[doc = concat!("Creates ", $what, " id from any string.")]
            ///
            /// Ids are not checked here but where they are used: the journey builder and the
            /// interaction log reject empty ids, and the builder duplicate ones.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!("use journey_map::", stringify!($name), ";")]
            #[doc = concat!("let id = ", stringify!($name), "::new(\"example\");")]
            /// assert_eq!(id.as_str(), "example");
            /// ```
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the id and returns its string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

pub(crate) use string_id;

string_id!(
    /// The id of a [`Persona`](crate::Persona), as written in journey files.
    PersonaId,
    "a persona"
);
string_id!(
    /// The id of a [`Stage`](crate::Stage), as written in journey files.
    StageId,
    "a stage"
);
string_id!(
    /// The id of a [`Touchpoint`](crate::Touchpoint), as written in journey files.
    TouchpointId,
    "a touchpoint"
);

/// The dense index types, for code generic over them.
pub(crate) trait DenseIndex: Copy {
    fn at(position: usize) -> Self;
    fn position(self) -> usize;
}

macro_rules! dense_index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The index as a `usize`, for indexing a vector with one slot per item.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The index as a `u32`.
            pub fn as_u32(self) -> u32 {
                self.0
            }

            /// Creates an index from its `u32` value.
            ///
            /// Any value is accepted; the journey's accessors return `None` for one it does not
            /// hold.
            pub fn from_u32(value: u32) -> Self {
                Self(value)
            }

            pub(crate) fn from_usize(value: usize) -> Self {
                // The builder refuses journeys with more than u32::MAX items of a kind.
                Self(u32::try_from(value).unwrap_or(u32::MAX))
            }
        }

        impl $crate::model::ids::DenseIndex for $name {
            fn at(position: usize) -> Self {
                Self::from_usize(position)
            }

            fn position(self) -> usize {
                self.index()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "#{}", self.0)
            }
        }
    };
}

pub(crate) use dense_index;

dense_index!(
    /// The position of a persona in its [`Journey`](crate::Journey), dense from zero.
    PersonaIndex
);
dense_index!(
    /// The position of a stage in its [`Journey`](crate::Journey): stage order, dense from zero.
    StageIndex
);
dense_index!(
    /// The position of a touchpoint in its [`Journey`](crate::Journey), dense from zero.
    TouchpointIndex
);
dense_index!(
    /// The position of a flow in its [`Journey`](crate::Journey), dense from zero.
    FlowIndex
);
