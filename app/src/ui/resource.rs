//! Resources holding server functions' answers.
//!
//! Every page loads through [`load`], and every [`Loaded`] resource is, underneath, the same
//! Leptos resource type: the answer is type-erased on the way in and read back as its type on
//! the way out. Leptos's resource machinery (async derived values, their futures, memos,
//! hydration) is generic over the answer's type, so with one resource type per answer it was
//! compiled once for each of the portal's resources: 15% of the WASM before wasm-opt, measured.
//! Erased, it is compiled once; what remains per answer is decoding it and a small wrapper.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::de::DeserializeOwned;
use std::any::Any;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

/// What a resource can hold: a server function's answer, which the server renders into the page
/// (postcard, as server functions answer) and the browser reads back.
pub trait Answer: Wire + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Stands in for an answer the browser could not read: a page rendered by a server of
    /// another release, or resources numbered differently by server and browser (a bug).
    fn unreadable() -> Self;

    /// The answer with a failure on the portal's side carrying the request's reference.
    fn referenced(self, reference: &str) -> Self;
}

impl<T: Wire + DeserializeOwned + Clone + Send + Sync + 'static> Answer for Result<T, AppError> {
    fn unreadable() -> Self {
        Err(AppError::Internal)
    }

    fn referenced(self, reference: &str) -> Self {
        self.map_err(|error| error.with_reference(reference))
    }
}

/// The reference of the request the server is rendering a page for (its id in the logs).
#[cfg(feature = "ssr")]
fn page_reference() -> Option<String> {
    use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get("x-request-id")
            .and_then(|id| id.to_str().ok())
            .map(str::to_owned)
    })
}

#[cfg(not(feature = "ssr"))]
fn page_reference() -> Option<String> {
    None
}

/// Serialisable, on the server (which writes answers into the page); anything, in the browser,
/// which only reads them.
#[cfg(feature = "ssr")]
pub trait Wire: serde::Serialize {}
#[cfg(feature = "ssr")]
impl<T: serde::Serialize> Wire for T {}
#[cfg(not(feature = "ssr"))]
pub trait Wire {}
#[cfg(not(feature = "ssr"))]
impl<T> Wire for T {}

type Boxed = Box<dyn Any + Send + Sync>;

/// An answer of any type: the value itself once loaded, or the bytes the server wrote into the
/// page (decoded on first read).
#[derive(Clone)]
pub struct Erased(Arc<Held>);

enum Held {
    Value {
        value: Boxed,
        #[cfg(feature = "ssr")]
        encode: fn(&Boxed) -> Option<Vec<u8>>,
    },
    Encoded {
        bytes: Vec<u8>,
        decoded: OnceLock<Boxed>,
    },
}

impl Erased {
    fn new<T: Answer>(value: T) -> Self {
        Self(Arc::new(Held::Value {
            value: Box::new(value),
            #[cfg(feature = "ssr")]
            encode: |value| {
                value
                    .downcast_ref::<T>()
                    .and_then(|v| postcard::to_allocvec(v).ok())
            },
        }))
    }

    fn read<T: Answer>(&self) -> T {
        let value = match &*self.0 {
            Held::Value { value, .. } => value,
            Held::Encoded { bytes, decoded } => decoded.get_or_init(|| {
                Box::new(postcard::from_bytes::<T>(bytes).unwrap_or_else(|_| T::unreadable()))
            }),
        };
        value
            .downcast_ref::<T>()
            .cloned()
            .unwrap_or_else(T::unreadable)
    }

    fn encode(&self) -> Option<Vec<u8>> {
        match &*self.0 {
            #[cfg(feature = "ssr")]
            Held::Value { value, encode } => encode(value),
            #[cfg(not(feature = "ssr"))]
            Held::Value { .. } => None,
            Held::Encoded { bytes, .. } => Some(bytes.clone()),
        }
    }
}

/// The codec the server writes answers into the page with, and the browser reads them by:
/// postcard (base64 in the page, as Leptos writes bytes).
pub struct AnswerCodec;

/// An answer only the browser holds was asked to be written into a page.
#[derive(Debug)]
pub struct NotRenderable;

impl Encoder<Erased> for AnswerCodec {
    type Error = NotRenderable;
    type Encoded = Vec<u8>;

    fn encode(answer: &Erased) -> Result<Vec<u8>, NotRenderable> {
        answer.encode().ok_or(NotRenderable)
    }
}

impl Decoder<Erased> for AnswerCodec {
    type Error = std::convert::Infallible;
    type Encoded = [u8];

    fn decode(bytes: &[u8]) -> Result<Erased, Self::Error> {
        Ok(Erased(Arc::new(Held::Encoded {
            bytes: bytes.to_owned(),
            decoded: OnceLock::new(),
        })))
    }
}

/// A resource's source value of any type, compared as its own type.
#[derive(Clone)]
pub struct Source(Arc<dyn SourceValue>);

trait SourceValue: Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn same_as(&self, other: &dyn SourceValue) -> bool;
}

impl<S: PartialEq + Send + Sync + 'static> SourceValue for S {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn same_as(&self, other: &dyn SourceValue) -> bool {
        other.as_any().downcast_ref::<S>() == Some(self)
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_as(&*other.0)
    }
}

type Track = Arc<dyn Fn() -> Source + Send + Sync>;
type Fetch = Arc<dyn Fn(Source) -> Pin<Box<dyn Future<Output = Erased> + Send>> + Send + Sync>;

/// The one resource type every page's resources are. Not generic, so compiled once.
fn erased_resource(track: Track, fetch: Fetch) -> Resource<Erased, AnswerCodec> {
    Resource::new_with_options(move || track(), move |source| fetch(source), false)
}

/// A resource loaded by a server function; `.await` it (inside `Suspend`) for the answer.
pub struct Loaded<T> {
    resource: Resource<Erased, AnswerCodec>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T> Loaded<T> {
    /// What loads it again, whatever it holds: for code that need not know.
    pub fn reloader(&self) -> Reloader {
        Reloader(self.resource)
    }
}

/// Loads a resource again; the same type for every resource.
#[derive(Clone, Copy)]
pub struct Reloader(Resource<Erased, AnswerCodec>);

impl Reloader {
    pub fn reload(&self) {
        self.0.refetch();
    }
}

impl<T: Answer> Loaded<T> {
    /// The answer, if loaded (tracked).
    pub fn get(&self) -> Option<T> {
        self.resource.get().map(|answer| answer.read())
    }
}

impl<T: Answer> IntoFuture for Loaded<T> {
    type Output = T;
    type IntoFuture = Pin<Box<dyn Future<Output = T> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let answer = self.resource.into_future();
        Box::pin(async move { answer.await.read() })
    }
}

/// Loads with `fetcher` whenever `source` changes; the browser starts from the answer the server
/// rendered into the page.
pub fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Answer,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let track: Track = Arc::new(move || Source(Arc::new(source())));
    // A failure while the server renders the page is shown with the page request's reference;
    // in the browser, the server-function answer carries its own.
    let reference = page_reference();
    let fetch: Fetch = Arc::new(move |source: Source| {
        let loading = source.0.as_any().downcast_ref::<S>().cloned().map(&fetcher);
        let reference = reference.clone();
        Box::pin(async move {
            let answer = match loading {
                Some(loading) => loading.await,
                None => T::unreadable(),
            };
            Erased::new(match reference {
                Some(reference) => answer.referenced(&reference),
                None => answer,
            })
        })
    });
    Loaded {
        resource: erased_resource(track, fetch),
        answer: PhantomData,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Answered = Result<Vec<String>, AppError>;

    #[test]
    fn an_answer_is_written_into_the_page_and_read_back_as_its_type() {
        let answer: Answered = Ok(vec!["S000001".into()]);
        let written = AnswerCodec::encode(&Erased::new(answer.clone())).expect("renderable");
        let read = AnswerCodec::decode(&written).expect("decodes");
        assert_eq!(read.read::<Answered>(), answer);
        // Read twice: the second read is the decoded value kept from the first.
        assert_eq!(read.read::<Answered>(), answer);
        assert_eq!(AnswerCodec::encode(&read).expect("kept"), written);
    }

    #[test]
    fn an_unreadable_answer_reads_as_an_error_not_a_panic() {
        let garbled = AnswerCodec::decode(&[0, 9, 9]).expect("decodes lazily");
        assert_eq!(garbled.read::<Answered>(), Err(AppError::Internal));
        let other_type = Erased::new::<Result<u32, AppError>>(Ok(7));
        assert_eq!(other_type.read::<Answered>(), Err(AppError::Internal));
    }

    #[test]
    fn sources_compare_as_their_own_type() {
        let a = Source(Arc::new(("S000001".to_string(), 2u64)));
        let same = Source(Arc::new(("S000001".to_string(), 2u64)));
        let later = Source(Arc::new(("S000001".to_string(), 3u64)));
        let other_type = Source(Arc::new(2u64));
        assert!(a == same);
        assert!(a != later);
        assert!(a != other_type);
    }
}
