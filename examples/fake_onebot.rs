//! A stand-in OneBot HTTP API for tests, as a program of its own (so a test can run it as
//! another user): listens on 127.0.0.1 (port 0 = any free one, or the first argument), prints
//! `port N` on stdout, then one line `ACTION<TAB>AUTHORIZATION` per request (`-` when no
//! header came), and answers like LLOneBot logged in as `FAKE_ONEBOT_SELF` (default 30003).
//! It quits after `FAKE_ONEBOT_LIFETIME` seconds (default 120), so a failed test leaves
//! nothing behind.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let self_id = std::env::var("FAKE_ONEBOT_SELF").unwrap_or_else(|_| "30003".into());
    let lifetime = std::env::var("FAKE_ONEBOT_LIFETIME")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120u64);
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(lifetime));
        std::process::exit(0);
    });
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "port {port}");
    let _ = out.flush();
    for stream in listener.incoming() {
        let Ok(mut s) = stream else { continue };
        let Ok(read) = s.try_clone() else { continue };
        let mut reader = BufReader::new(read);
        let mut first = String::new();
        if reader.read_line(&mut first).is_err() {
            continue;
        }
        let action = first
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .trim_start_matches('/')
            .to_string();
        let mut auth = "-".to_string();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                break;
            }
            if let Some(v) = h.strip_prefix("Authorization: ") {
                auth = v.trim().to_string();
            }
        }
        let _ = writeln!(out, "{action}\t{auth}");
        let _ = out.flush();
        let data = match action.as_str() {
            "get_version_info" => r#"{"app_name":"LLOneBot","app_version":"4.9.4"}"#.to_string(),
            "get_login_info" => format!(r#"{{"user_id":{self_id},"nickname":"bot"}}"#),
            "get_status" => r#"{"online":true,"good":true}"#.to_string(),
            _ => "null".to_string(),
        };
        let body = format!(r#"{{"status":"ok","retcode":0,"data":{data}}}"#);
        let _ = write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}
