//! The incident, evaluated live: success criteria met or not ([`criteria`]), business impact
//! ([`impact`]), the resolution timeline and ETA ([`timeline`]), the status updates and their
//! cadence ([`updates`]), the action items per owner ([`actions`]), and all of it in words for
//! people outside the page ([`digest`]). Its configuration lives in [`crate::config::sections`].

pub mod actions;
pub mod criteria;
pub mod digest;
pub mod impact;
pub mod timeline;
pub mod updates;
