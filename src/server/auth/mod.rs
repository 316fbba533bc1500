//! Authentication and authorization: passwords, sessions, sign-in throttling, the random tokens
//! they rest on, and the guards every staff handler and server function opens with.

pub mod cookie;
pub mod guard;
pub mod password;
pub mod random;
pub mod resolve;
pub mod second_factor;
pub mod session;
pub mod throttle;
