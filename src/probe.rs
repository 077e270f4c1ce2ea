//! The live OneBot probe: `get_version_info` and `get_status` over LLOneBot's HTTP API on
//! 127.0.0.1, with the account's token. A tiny HTTP/1.1 client over std's TcpStream: one GET,
//! `Connection: close`, a bounded body, a 3 s budget. The token is sent only once the program
//! listening on the port is known to be the bot ([`crate::listener`]).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::listener;

pub const TIMEOUT: Duration = Duration::from_secs(3);
const MAX_BODY: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbeError {
    /// Nothing listens on the port: QQ or LLOneBot's HTTP server is not running.
    Refused,
    /// 401 or 403: the token is wrong.
    Unauthorized {
        status: u16,
    },
    Timeout,
    /// Another HTTP status.
    Http {
        status: u16,
    },
    /// An answer that is not OneBot's JSON (`{"status", "retcode", "data"}`).
    Malformed {
        detail: String,
    },
    /// OneBot answered with a failure retcode.
    Failed {
        retcode: i64,
        message: String,
    },
    Io {
        detail: String,
    },
    /// The port answers for another account (`get_login_info`'s `user_id`): two configs name
    /// the same port, and only one LLOneBot can listen on it.
    OtherAccount {
        self_id: String,
    },
    /// Another program listens on the port (these processes): the token was not sent.
    NotTheBot {
        holders: String,
    },
    /// Which program listens cannot be told (why): the token was not sent.
    Unverified {
        detail: String,
    },
}

/// Before a token goes out on a connection to `port`: the listener must be the bot's.
fn gate(port: u16, expected: &listener::Expected) -> Result<(), ProbeError> {
    match listener::check(port, expected) {
        listener::Verdict::Bot(_) => Ok(()),
        listener::Verdict::Other(h) => Err(ProbeError::NotTheBot {
            holders: listener::describe(&h),
        }),
        // Connected, yet no listener seen: one this user cannot look into.
        listener::Verdict::Nothing => Err(ProbeError::Unverified {
            detail: crate::i18n::t("listener.not_visible").to_string(),
        }),
        listener::Verdict::Unknown(detail) => Err(ProbeError::Unverified { detail }),
    }
}

/// One OneBot call: the `data` of the answer and the round-trip time. With a token, the
/// program that accepted the connection must be the bot (`expected`) before it is sent.
pub fn call(
    port: u16,
    token: &str,
    action: &str,
    expected: &listener::Expected,
) -> Result<(Value, Duration), ProbeError> {
    let start = Instant::now();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| match e.kind() {
        std::io::ErrorKind::ConnectionRefused => ProbeError::Refused,
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => ProbeError::Timeout,
        _ => ProbeError::Io {
            detail: e.to_string(),
        },
    })?;
    let left = TIMEOUT
        .saturating_sub(start.elapsed())
        .max(Duration::from_millis(10));
    if !token.is_empty() {
        gate(port, expected)?;
    }
    let _ = stream.set_read_timeout(Some(left));
    let _ = stream.set_write_timeout(Some(left));
    let mut req = format!(
        "GET /{action} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: llob-doctor\r\nAccept: application/json\r\nConnection: close\r\n"
    );
    if !token.is_empty() {
        req.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).map_err(io_err)?;

    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if start.elapsed() > TIMEOUT {
            return Err(ProbeError::Timeout);
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if raw.len() > MAX_BODY + 64 * 1024 {
                    return Err(ProbeError::Malformed {
                        detail: "answer larger than 1 MiB".into(),
                    });
                }
                // Stop as soon as a Content-Length body is complete (some servers keep the
                // connection open despite `Connection: close`).
                if complete(&raw) {
                    break;
                }
            }
            Err(e) => return Err(io_err(e)),
        }
    }
    let rtt = start.elapsed();
    let (status, headers, body) = split_response(&raw)?;
    match status {
        200 => {}
        401 | 403 => return Err(ProbeError::Unauthorized { status }),
        s => return Err(ProbeError::Http { status: s }),
    }
    let body = if headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    }) {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    let v: Value = serde_json::from_slice(&body).map_err(|e| ProbeError::Malformed {
        detail: format!("not JSON: {e}"),
    })?;
    let retcode =
        v.get("retcode")
            .and_then(Value::as_i64)
            .ok_or_else(|| ProbeError::Malformed {
                detail: "no retcode".into(),
            })?;
    if retcode != 0 {
        let message = v
            .get("message")
            .or_else(|| v.get("wording"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        return Err(ProbeError::Failed { retcode, message });
    }
    let data = v
        .get("data")
        .cloned()
        .ok_or_else(|| ProbeError::Malformed {
            detail: "no data".into(),
        })?;
    Ok((data, rtt))
}

fn io_err(e: std::io::Error) -> ProbeError {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => ProbeError::Timeout,
        std::io::ErrorKind::ConnectionRefused => ProbeError::Refused,
        _ => ProbeError::Io {
            detail: e.to_string(),
        },
    }
}

fn header_end(raw: &[u8]) -> Option<usize> {
    raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn complete(raw: &[u8]) -> bool {
    let Some(end) = header_end(raw) else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match len {
        Some(n) => raw.len() >= end + n,
        None => head.contains("transfer-encoding: chunked") && raw.ends_with(b"0\r\n\r\n"),
    }
}

type Response<'a> = (u16, Vec<(String, String)>, &'a [u8]);

fn split_response(raw: &[u8]) -> Result<Response<'_>, ProbeError> {
    let bad = |d: &str| ProbeError::Malformed {
        detail: d.to_string(),
    };
    let end = header_end(raw).ok_or_else(|| bad("not an HTTP answer"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("HTTP head is not text"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    if !parts.next().is_some_and(|p| p.starts_with("HTTP/")) {
        return Err(bad("not an HTTP answer"));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no HTTP status"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = &raw[end..];
    if let Some(n) = head
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        body = &body[..n.min(body.len())];
    }
    Ok((status, headers, body))
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, ProbeError> {
    let bad = || ProbeError::Malformed {
        detail: "broken chunked encoding".into(),
    };
    let mut out = Vec::new();
    loop {
        let nl = body.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let size_text = std::str::from_utf8(&body[..nl]).map_err(|_| bad())?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| bad())?;
        body = &body[nl + 2..];
        if size == 0 {
            return Ok(out);
        }
        // Sizes come from the network: compare without overflowing on a huge one.
        if size > MAX_BODY.saturating_sub(out.len()) || body.len().saturating_sub(2) < size {
            return Err(bad());
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

/// What the probe learned about one account.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeResult {
    pub uin: String,
    pub port: u16,
    pub app_name: Option<String>,
    pub app_version: Option<String>,
    pub online: Option<bool>,
    pub good: Option<bool>,
    pub rtt_ms: Option<u64>,
    /// The account that answered (`get_login_info`), when it said.
    pub self_id: Option<String>,
    pub error: Option<ProbeError>,
}

/// Calls `get_version_info` then `get_status` for one account; the token only ever goes to a
/// listener of `expected`.
pub fn probe(uin: &str, port: u16, token: &str, expected: &listener::Expected) -> ProbeResult {
    let mut r = ProbeResult {
        uin: uin.to_string(),
        port,
        app_name: None,
        app_version: None,
        online: None,
        good: None,
        rtt_ms: None,
        self_id: None,
        error: None,
    };
    match call(port, token, "get_version_info", expected) {
        Ok((data, rtt)) => {
            r.rtt_ms = Some(rtt.as_millis() as u64);
            r.app_name = data
                .get("app_name")
                .and_then(Value::as_str)
                .map(String::from);
            r.app_version = data
                .get("app_version")
                .and_then(Value::as_str)
                .map(String::from);
        }
        Err(e) => {
            r.error = Some(e);
            return r;
        }
    }
    // Who answers: a port shared by two configs answers for one account only.
    if let Ok((data, _)) = call(port, token, "get_login_info", expected) {
        r.self_id = match data.get("user_id") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        if let Some(id) = r.self_id.as_ref().filter(|id| id.as_str() != uin) {
            r.error = Some(ProbeError::OtherAccount {
                self_id: id.clone(),
            });
            return r;
        }
    }
    match call(port, token, "get_status", expected) {
        Ok((data, _)) => {
            r.online = data.get("online").and_then(Value::as_bool);
            r.good = data.get("good").and_then(Value::as_bool);
        }
        Err(e) => r.error = Some(e),
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_split_and_dechunk() {
        let raw =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        let (s, h, b) = split_response(raw).unwrap();
        assert_eq!((s, b), (200, &b"{}"[..]));
        assert_eq!(h[0].0, "Content-Type");
        assert!(complete(raw));
        assert_eq!(
            dechunk(b"4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n").unwrap(),
            b"{\"a\":1}"
        );
        assert!(dechunk(b"zz\r\n").is_err());
        // A chunk size near usize::MAX (from a broken or hostile server) is refused, not added.
        assert!(dechunk(b"1\r\na\r\nffffffffffffffff\r\nxyz\r\n0\r\n\r\n").is_err());
        assert!(dechunk(b"fffffffffffffffe\r\nxyz\r\n").is_err());
        assert!(dechunk(b"3\r\nab").is_err());
        assert!(split_response(b"garbage\r\n\r\n").is_err());
        assert!(split_response(b"no end").is_err());
    }
}
