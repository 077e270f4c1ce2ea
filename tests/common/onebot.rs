//! A fake OneBot HTTP API for the probe and doctor tests: a bot answering on loopback.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

/// A one-connection-at-a-time HTTP server on loopback answering OneBot actions as `answer` says:
/// it gets the action (the path without `/`) and the `Authorization` header, and gives the status
/// and the body. Its port; the server runs until the test ends.
pub fn serve(answer: impl Fn(&str, Option<&str>) -> (u16, String) + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut reader = BufReader::new(s.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let path = first
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            let mut auth = None;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some(v) = h.strip_prefix("Authorization: ") {
                    auth = Some(v.trim().to_string());
                }
            }
            let (status, body) = answer(&path, auth.as_deref());
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

/// Whether this system says which process listens on a port: llob-doctor sends a OneBot token
/// only to the bot's own listener, so where it cannot tell (Wine 8 reports no owning PID) a probe
/// with a token is `unverified` and a test of one skips (saying so).
pub fn token_probes_run_here() -> bool {
    #[cfg(windows)]
    if super::under_wine() {
        super::skip("Wine reports no listener's PID: a probe with a token is refused there");
        return false;
    }
    true
}
