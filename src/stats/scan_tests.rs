//! Tests of the streaming scanner: counts, blocks and threads against a line-by-line reading.

use super::*;

fn scan(text: &[u8], since: Option<Stamp>) -> Tally {
    let mut s = Scanner::new(since);
    s.scan(text).expect("in-memory read");
    s.finish()
}

const SAMPLE: &str = "2024/8/2 15:03:08 空(1511954122): 收到http请求 /send_group_msg {\"group_id\":194167989,\"message\":[{\"type\":\"text\",\"data\":{\"text\":\"Hello, World!\"}}]} \n\n\
2024/8/2 15:03:08 空(1511954122): 发送消息总大小 0 bytes \n\n\
2024/8/2 15:03:08 空(1511954122): 设置消息超时时间 5000 \n\n\
2024/8/2 15:03:13 空(1511954122): ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [\"nodeIKernelMsgService/sendMsg\",{}] \n\n\
2024/8/2 15:03:13 空(1511954122): 发生错误 发送超时";

#[test]
fn one_failed_send_is_one_timeout() {
    let t = scan(SAMPLE.as_bytes(), None);
    assert_eq!(t.lines, 9);
    assert_eq!(t.skipped_lines, 0);
    assert_eq!(
        t.total,
        Counts {
            sends: 1,
            timeouts: 1,
            delivered: 0,
            errors: 0
        }
    );
    let day = line::days_from_civil(2024, 8, 2);
    assert_eq!(t.days.get(&day), Some(&t.total));
    assert_eq!(t.attachments.count, 1);
    assert_eq!(t.attachments.with_files, 0);
    assert_eq!(t.timeouts_set.min, 5000);
}

#[test]
fn an_ipc_timeout_alone_still_counts_once() {
    let log = "2024/8/2 15:00:00 ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg []\n\
2024/8/2 15:10:00 收到http请求 /get_status {}\n";
    assert_eq!(scan(log.as_bytes(), None).total.timeouts, 1);
    // Still waiting at the end of the input.
    let log = "2024/8/2 15:00:00 ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg []\n";
    assert_eq!(scan(log.as_bytes(), None).total.timeouts, 1);
}

#[test]
fn errors_are_charged_to_the_latest_request() {
    let log = "2024/8/2 15:00:00 收到http请求 /get_group_member_info {}\n\
2024/8/2 15:00:00 发生错误 {}\n\
2024/8/2 15:00:01 收到http请求 /send_private_msg {}\n\
2024/8/2 15:00:01 发生错误 Error: 消息体无法解析，请检查是否发送了不支持的消息类型\n";
    let t = scan(log.as_bytes(), None);
    assert_eq!(t.requests, 2);
    assert_eq!(t.total.sends, 1);
    assert_eq!(t.total.errors, 1);
    assert_eq!(t.other_errors, 1);
}

#[test]
fn since_and_days() {
    let log = "2024/8/1 23:59:59 收到http请求 /send_msg {}\n\
2024/8/2 0:00:00 收到http请求 /send_msg {}\n\
2024/8/2 0:00:01 发生错误 发送超时\n";
    let t = scan(log.as_bytes(), None);
    assert_eq!(t.days.len(), 2);
    let since = Stamp::from_parts(2024, 8, 2, 0, 0, 0);
    let t = scan(log.as_bytes(), Some(since));
    assert_eq!(t.total.sends, 1);
    assert_eq!(t.total.timeouts, 1);
    assert_eq!(t.days.len(), 1);
}

#[test]
fn websocket_replies_refine_errors_and_add_nothing() {
    // 3.x: the IPC timeout, the error, then the reply repeating it: one timeout.
    let log = "2024/8/2 15:00:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:00:05 ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg []\n\
2024/8/2 15:00:05 发生错误 发送超时\n\
2024/8/2 15:00:05 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"}\n";
    let t = scan(log.as_bytes(), None);
    assert_eq!((t.total.sends, t.total.timeouts, t.total.errors), (1, 1, 0));
    // An Error object logs as `{}`; the reply says it was a timeout.
    let log = "2024/8/2 15:00:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:00:10 发生错误 {}\n\
2024/8/2 15:00:10 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"Error: Timeout: NTEvent EventName:NodeIKernelMsgService/sendMsg ListenerName:x EventRet:\\n{}\\n\"}\n\
2024/8/2 15:01:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:01:00 发生错误 {}\n\
2024/8/2 15:01:00 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"群不存在\"}\n";
    let t = scan(log.as_bytes(), None);
    assert_eq!((t.total.sends, t.total.timeouts, t.total.errors), (2, 1, 1));
    let day = line::days_from_civil(2024, 8, 2);
    assert_eq!(
        t.days.get(&day).map(|c| (c.timeouts, c.errors)),
        Some((1, 1))
    );
}

#[test]
fn files_out_of_time_order_do_not_pair_across_periods() {
    let later = "2025-01-05 10:00:00 | 收到 HTTP 请求 /get_msg {}\n2025-01-05 10:00:00 | 发生错误 Error: x\n\
2025-01-05 10:00:09 ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg []\n";
    let earlier = "2024/8/2 15:00:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:00:10 发生错误 {}\n\
2024/8/2 15:00:10 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"}\n";
    let mut s = Scanner::new(None);
    s.scan(later.as_bytes()).expect("read");
    s.scan(earlier.as_bytes()).expect("read");
    let t = s.finish();
    // The 2025 IPC timeout stands alone; the 2024 `{}` error is a timeout by its reply.
    assert_eq!((t.total.sends, t.total.timeouts, t.total.errors), (1, 2, 0));
    assert_eq!(t.other_errors, 1);
    assert_eq!(t.days.len(), 2);
}

#[test]
fn pretty_printed_websocket_request() {
    let log = "2024/8/2 15:00:00 收到正向Websocket消息 {\n  \"params\": {},\n  \"action\": \"send_group_msg\"\n}\n";
    let t = scan(log.as_bytes(), None);
    assert_eq!(t.total.sends, 1);
    assert_eq!(t.undated_lines, 3);
}

#[test]
fn garbage_is_skipped_and_the_rest_still_counts() {
    let mut log = Vec::new();
    log.extend_from_slice(b"\xEF\xBB\xBF2024/8/2 15:00:00 \xe6\x94\xb6\xe5\x88\xb0http\xe8\xaf\xb7\xe6\xb1\x82 /send_msg {}\r\n");
    log.extend_from_slice(b"\x00\x00\x00\x00\n");
    log.extend_from_slice(b"\xff\xfe garbage \xc3\x28\n");
    log.extend_from_slice(b"2024/99/99 15:00:00 x\n");
    log.extend_from_slice(&[0u8; 3 * MAX_LINE]);
    log.extend_from_slice(b"\n2024/8/2 15:00:01 \xe5\x8f\x91\xe7\x94\x9f\xe9\x94\x99\xe8\xaf\xaf \xe5\x8f\x91\xe9\x80\x81\xe8\xb6\x85\xe6\x97\xb6");
    let mut s = Scanner::new(None);
    let ft = s.scan(&log[..]).expect("read");
    assert!(ft.truncated);
    let t = s.finish();
    assert_eq!(t.lines, 6);
    assert_eq!(t.skipped_lines, 4);
    assert_eq!(t.total.sends, 1);
    assert_eq!(t.total.timeouts, 1);
}

#[test]
fn lines_across_chunk_boundaries() {
    let line = "2024/8/2 15:00:00 收到http请求 /send_msg {\"message\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n";
    let text = line.repeat(CHUNK / line.len() * 3 + 7);
    let t = scan(text.as_bytes(), None);
    assert_eq!(t.total.sends, (CHUNK / line.len() * 3 + 7) as u64);
    assert_eq!(t.skipped_lines, 0);
}

/// The reference: the line-by-line reading of the first version (a small buffer, lines
/// carried over and cut at MAX_LINE), each line through `Scanner::line`.
fn scan_by_lines(s: &mut Scanner, input: &[u8]) -> (u64, u64, u64, bool) {
    let before = (s.counter.tally.lines, s.counter.tally.skipped_lines);
    let setup = s.setup;
    s.begin_file(setup);
    let mut carry: Vec<u8> = Vec::new();
    let mut first = true;
    for buf in input.chunks(4096) {
        let mut pos = 0;
        if first {
            first = false;
            if buf.starts_with(BOM) {
                pos = 3;
            }
        }
        let base = pos;
        for nl in memchr::memchr_iter(b'\n', &buf[base..]) {
            let end = base + nl;
            if carry.is_empty() {
                s.line(&buf[pos..end]);
            } else {
                let room = MAX_LINE.saturating_sub(carry.len());
                carry.extend_from_slice(&buf[pos..end.min(pos + room)]);
                s.line(&carry);
                carry.clear();
            }
            pos = end + 1;
        }
        if pos < buf.len() {
            let room = MAX_LINE.saturating_sub(carry.len());
            carry.extend_from_slice(&buf[pos..buf.len().min(pos + room)]);
        }
    }
    let truncated = !carry.is_empty();
    if truncated {
        s.line(&carry);
    }
    (
        input.len() as u64,
        s.counter.tally.lines - before.0,
        s.counter.tally.skipped_lines - before.1,
        truncated,
    )
}

/// Lines of every kind the state cares about, with times that jump back and forth.
fn random_log(seed: u64, min_len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut out = Vec::new();
    if next(4) == 0 {
        out.extend_from_slice(BOM);
    }
    let mut t = 15 * 3600;
    while out.len() < min_len {
        t = (t + next(200) as i64 - 60).clamp(0, 86_399);
        let stamp = format!(
            "2024/8/{} {}:{:02}:{:02}",
            1 + next(3),
            t / 3600,
            t / 60 % 60,
            t % 60
        );
        let line: String = match next(24) {
            0 => format!("{stamp} 空(1): 收到http请求 /send_msg {{}} "),
            1 => format!("{stamp} 空(1): 收到http请求 /get_status {{}} "),
            2 => format!(
                "{stamp} 空(1): ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [] "
            ),
            3 => format!("{stamp} 空(1): 发生错误 发送超时 "),
            4 => format!("{stamp} 空(1): 发生错误 {{}} "),
            5 => format!("{stamp} 空(1): 收到正向Websocket消息 {{"),
            6 => "  \"action\": \"send_group_msg\",".to_string(),
            7 => "  \"params\": {}".to_string(),
            8 => format!(
                "{stamp} 空(1): ws 消息上报 undefined {{\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"}} "
            ),
            9 => format!("{stamp} 空(1): ws 消息上报 undefined {{\"status\":\"ok\"}} "),
            10 => format!("{stamp} 空(1): 发送消息总大小 {} bytes ", next(100_000)),
            11 => format!(
                "{stamp} 空(1): 设置消息超时时间 {}.{} ",
                5000 + next(9000),
                next(10)
            ),
            12 => format!("{stamp} 空(1): 消息发送 -2147483641 "),
            13 | 14 => String::new(),
            15 => "    at Timeout._onTimeout (main.cjs:2:81234)".to_string(),
            16 => "\u{1}\u{0} binary".to_string(),
            17 => format!("{stamp}\r"),
            18 => "2024/13/45 10:00:00 x".to_string(),
            19 => format!(
                "[info] | 2025-01-05 {:02}:{:02}:{:02} | 收到 HTTP 请求 /send_private_msg {{}}",
                t / 3600,
                t / 60 % 60,
                t % 60
            ),
            20 => format!("{stamp}.5 空(1): 收到http请求 /send_msg {{}} "),
            21 => "收到http请求 /send_msg {} ".to_string(),
            22 => format!(
                "{stamp} 空(1): 收到反向Websocket消息 {{\"action\":\"send_private_msg\"}} \r"
            ),
            _ => "\t ".to_string(),
        };
        // Accounts whose bytes overlap: a line's account is read anew whenever its bytes differ
        // from those of the latest line that named one.
        let account = [
            "空(1): ",
            "空(12): ",
            "空空(1): ",
            "空(1)(2): ",
            "  空(1): ",
            "空(1):  ",
        ];
        let line = line.replacen("空(1): ", account[next(6) as usize], 1);
        out.extend_from_slice(line.as_bytes());
        if next(50) != 0 {
            out.push(b'\n');
        }
    }
    out
}

fn same_as_by_lines(files: &[Vec<u8>], workers: usize, since: Option<Stamp>) {
    same_as_by_lines_read(files, workers, since, FileSetup::plain(Stack::Llonebot, 0));
    // Entries that end with a blank line: block boundaries must keep whether the line before
    // was blank.
    let blank = FileSetup {
        blank_separated: true,
        ..FileSetup::plain(Stack::Llonebot, 0)
    };
    same_as_by_lines_read(files, workers, since, blank);
}

fn same_as_by_lines_read(
    files: &[Vec<u8>],
    workers: usize,
    since: Option<Stamp>,
    setup: FileSetup,
) {
    let mut fast = Scanner::new(since);
    fast.workers = workers;
    fast.set_file(setup);
    let mut slow = Scanner::new(since);
    slow.set_file(setup);
    for f in files {
        let ft = fast.scan(&f[..]).expect("in-memory read");
        let want = scan_by_lines(&mut slow, f);
        assert_eq!((ft.bytes, ft.lines, ft.skipped_lines, ft.truncated), want);
    }
    assert_eq!(fast.finish(), slow.finish());
}

#[test]
fn blocks_and_threads_count_as_line_by_line() {
    let since = Some(Stamp::from_parts(2024, 8, 2, 0, 0, 0));
    for seed in 0..6 {
        let files: Vec<Vec<u8>> = (0..3)
            .map(|i| random_log(seed * 10 + i, if i == 1 { 3 * CHUNK + 17 } else { 20_000 }))
            .collect();
        for workers in [1, 2, 3] {
            same_as_by_lines(&files, workers, None);
            same_as_by_lines(&files, workers, since);
        }
    }
}

#[test]
fn long_lines_are_cut_alike_in_every_place() {
    let base = random_log(7, 2 * CHUNK);
    for cut in [0, 100, CHUNK - 1, CHUNK, CHUNK + 1, base.len() / 2] {
        for long in [MAX_LINE - 1, MAX_LINE, MAX_LINE + 1, 2 * MAX_LINE + 5] {
            let mut f = base[..cut].to_vec();
            f.extend(std::iter::repeat_n(b'x', long));
            f.extend_from_slice(&base[cut..]);
            for workers in [1, 2] {
                same_as_by_lines(std::slice::from_ref(&f), workers, None);
            }
            // The same, without a newline after it: the file ends in the long line.
            let mut g = base[..cut].to_vec();
            g.extend(std::iter::repeat_n(b'x', long));
            same_as_by_lines(&[g], 2, None);
        }
    }
}

#[test]
fn a_reader_that_fails_keeps_what_was_read() {
    struct Failing<'a>(&'a [u8]);
    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk gone"));
            }
            let n = buf.len().min(self.0.len()).min(100_000);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let log = random_log(3, 3 * CHUNK);
    for workers in [1, 2] {
        let mut s = Scanner::new(None);
        s.workers = workers;
        assert!(s.scan(Failing(&log)).is_err());
        let t = s.finish();
        // Every whole block read before the failure was counted.
        assert!(t.lines > 0 && t.lines < log.iter().filter(|&&b| b == b'\n').count() as u64 + 1);
    }
}

/// Files of different stacks in one run, the second failing to open: each file is read as its
/// setup says (a NapCat log's lines carry no year: its setup gives it) on any number of cores,
/// and the counts are those of reading each file line by line.
#[test]
fn each_file_is_read_as_its_setup_says_on_any_number_of_cores() {
    let napcat: Vec<u8> = include_bytes!("../../tests/samples/logs/2025-05-12_10-00-00.123.log")
        .repeat(3 * CHUNK / 890 + 1);
    let v3 = include_bytes!("../../tests/samples/logs/llonebot-3.27.3-http.log").to_vec();
    let files = [napcat.clone(), Vec::new(), v3, napcat[..5000].to_vec()];
    let nap = FileSetup {
        clock: line::Clock {
            year: Some(line::YearHint {
                year: 2025,
                month: 5,
            }),
            month_first: None,
        },
        ..FileSetup::plain(Stack::Napcat, 0)
    };
    let setups = [
        nap,
        nap,
        FileSetup {
            blank_separated: true,
            ..FileSetup::plain(Stack::Llonebot, 0)
        },
        nap,
    ];
    let mut slow = Scanner::new(None);
    let mut want = Vec::new();
    for (i, (f, s)) in files.iter().zip(&setups).enumerate() {
        slow.set_file(*s);
        if i != 1 {
            want.push(scan_by_lines(&mut slow, f));
        }
    }
    let want_tally = slow.finish();
    // The NapCat lines were dated (the year from the setup), and its sends counted on their day.
    let may_12 = line::days_from_civil(2025, 5, 12);
    assert!(
        want_tally
            .days
            .get(&may_12)
            .is_some_and(|d| d.sends > 100 && d.timeouts > 0)
    );
    for workers in [1, 2, 3] {
        let mut fast = Scanner::new(None);
        fast.workers = workers;
        let results = fast.scan_files(&setups, |i| match i {
            1 => Err(io::Error::other("no such file")),
            _ => Ok(&files[i][..]),
        });
        assert_eq!(results.len(), 4);
        assert!(results[1].is_err(), "{workers} workers");
        let got: Vec<_> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|ft| (ft.bytes, ft.lines, ft.skipped_lines, ft.truncated))
            .collect();
        assert_eq!(got, want, "{workers} workers");
        assert_eq!(fast.finish(), want_tally, "{workers} workers");
    }
}

proptest::proptest! {
    /// Entries that end with a blank line (LLOneBot 3.x-7.11): whatever the text lines of an
    /// entry say (markers, error texts, a whole pasted log line), the counts are those of the
    /// same log without them, read in blocks on any number of threads.
    #[test]
    fn the_text_of_an_entry_never_counts(
        seed in 0u64..1_000_000,
        texts in proptest::collection::vec(0usize..7, 1..40),
    ) {
        const TEXT: [&str; 7] = [
            "invoke timeout, wrapperSession.getMsgService().sendMsg, [ '0' ] 这是啥报错",
            "发生错误 [Error: invoke timeout, wrapperSession.getMsgService().sendMsg]",
            "[error] | 2024-08-02 15:00:00 | 发生错误 Error: invoke timeout, wrapperSession.getMsgService().sendMsg, []",
            "2024/8/2 15:00:00 空(1): 收到http请求 /send_msg {} ",
            "2024/8/2 15:00:00 空(1): 发生错误 发送超时 ",
            "收到",
            "\u{1}binary",
        ];
        let log = random_log(seed, 4_000);
        // Without the BOM: a first line of only a BOM is blank once it is dropped.
        let entries: Vec<&[u8]> = log
            .strip_prefix(BOM)
            .unwrap_or(&log)
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(|&b| b == b' ' || b == b'\t' || b == b'\r'))
            .collect();
        let (mut plain, mut with_text) = (Vec::new(), Vec::new());
        let mut next = texts.iter().cycle();
        for (i, e) in entries.iter().enumerate() {
            for out in [&mut plain, &mut with_text] {
                out.extend_from_slice(e);
                out.push(b'\n');
            }
            if i % 2 == 0 {
                for _ in 0..(i % 3 + 1) {
                    let t = TEXT[*next.next().unwrap_or(&0)];
                    with_text.extend_from_slice(t.as_bytes());
                    with_text.push(b'\n');
                }
            }
            for out in [&mut plain, &mut with_text] {
                out.push(b'\n');
            }
        }
        let setup = FileSetup {
            blank_separated: true,
            ..FileSetup::plain(Stack::Llonebot, 0)
        };
        let count = |log: &[u8], workers: usize| {
            let mut s = Scanner::new(None);
            s.workers = workers;
            s.set_file(setup);
            s.scan(log).expect("in-memory read");
            let t = s.finish();
            (t.requests, t.total, t.days, t.accounts, t.errors, t.other_errors, t.dated_lines)
        };
        let want = count(&plain, 1);
        for workers in [1, 2] {
            proptest::prop_assert_eq!(count(&with_text, workers), want.clone());
        }
    }
}
