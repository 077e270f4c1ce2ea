//! Windows: listeners and their owning PIDs from `GetExtendedTcpTable`, each process's user from
//! its token (this user, SYSTEM, or someone else).

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::NetworkManagement::IpHelper::{
    GetExtendedTcpTable, MIB_TCP_STATE_LISTEN, MIB_TCP6ROW_OWNER_PID, MIB_TCPROW_OWNER_PID,
    TCP_TABLE_OWNER_PID_LISTENER,
};
use windows_sys::Win32::Security::{
    EqualSid, GetTokenInformation, IsWellKnownSid, TOKEN_QUERY, TOKEN_USER, TokenUser,
    WinLocalSystemSid,
};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
    QueryFullProcessImageNameW,
};

use super::Holder;

const AF_INET: u32 = 2;
const AF_INET6: u32 = 23;
const ERROR_INSUFFICIENT_BUFFER: u32 = 122;

/// The table for one address family, as raw bytes (`u32` aligned).
fn table(family: u32) -> Result<Vec<u32>, String> {
    let mut size: u32 = 0;
    let mut buf: Vec<u32> = Vec::new();
    for _ in 0..8 {
        // SAFETY: the buffer holds `size` bytes (or is empty with size 0, which asks the size).
        let rc = unsafe {
            GetExtendedTcpTable(
                buf.as_mut_ptr().cast(),
                &mut size,
                0,
                family,
                TCP_TABLE_OWNER_PID_LISTENER,
                0,
            )
        };
        match rc {
            0 => return Ok(buf),
            ERROR_INSUFFICIENT_BUFFER => buf = vec![0u32; (size as usize).div_ceil(4) + 16],
            e => return Err(format!("GetExtendedTcpTable: error {e}")),
        }
    }
    Err("GetExtendedTcpTable: the table kept growing".into())
}

/// Rows of a table: its first `u32` is the count, the rows follow.
fn rows<T: Copy>(buf: &[u32]) -> Vec<T> {
    let Some(&n) = buf.first() else {
        return Vec::new();
    };
    let bytes = std::mem::size_of_val(buf);
    let room = bytes.saturating_sub(4) / std::mem::size_of::<T>();
    let n = (n as usize).min(room);
    // SAFETY: the rows start right after the count (4 bytes; every row type is u32-aligned) and
    // `n` of them fit in the buffer; they are plain integers, any bit pattern is valid.
    (0..n)
        .map(|i| unsafe { std::ptr::read_unaligned(buf.as_ptr().add(1).cast::<T>().add(i)) })
        .collect()
}

/// The PIDs listening on `port` where 127.0.0.1 reaches them.
fn listening_pids(port: u16) -> Result<Vec<u32>, String> {
    let net_port = |p: u32| u16::from_be((p & 0xffff) as u16);
    let mut pids = Vec::new();
    for r in rows::<MIB_TCPROW_OWNER_PID>(&table(AF_INET)?) {
        let addr = u32::from_be(r.dwLocalAddr);
        if r.dwState == MIB_TCP_STATE_LISTEN as u32
            && net_port(r.dwLocalPort) == port
            && (addr == 0 || addr == 0x7f00_0001)
        {
            pids.push(r.dwOwningPid);
        }
    }
    if let Ok(t6) = table(AF_INET6) {
        for r in rows::<MIB_TCP6ROW_OWNER_PID>(&t6) {
            let any = r.ucLocalAddr == [0u8; 16];
            let mapped = r.ucLocalAddr[..12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
                && r.ucLocalAddr[12..] == [127, 0, 0, 1];
            if r.dwState == MIB_TCP_STATE_LISTEN as u32
                && net_port(r.dwLocalPort) == port
                && (any || mapped)
            {
                pids.push(r.dwOwningPid);
            }
        }
    }
    pids.sort_unstable();
    pids.dedup();
    Ok(pids)
}

/// The user SID of a process's token, as bytes; `None` when it cannot be read.
fn token_user(process: HANDLE) -> Option<Vec<u8>> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: `token` is a valid out pointer; the process handle is open.
    if unsafe { OpenProcessToken(process, TOKEN_QUERY, &mut token) } == 0 {
        return None;
    }
    let mut buf = vec![0u64; 64];
    let mut len: u32 = 0;
    // SAFETY: the buffer holds 512 bytes, aligned for TOKEN_USER.
    let ok =
        unsafe { GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), 512, &mut len) };
    // SAFETY: the token was opened above.
    unsafe { CloseHandle(token) };
    if ok == 0 {
        return None;
    }
    // SAFETY: GetTokenInformation filled a TOKEN_USER at the start of the buffer; its SID
    // points into the same buffer.
    let sid = unsafe { (*(buf.as_ptr().cast::<TOKEN_USER>())).User.Sid };
    // SID layout: revision, count of sub-authorities, 6 bytes of authority, 4 bytes each.
    // SAFETY: the SID is valid while `buf` lives; its second byte is the count.
    let count = unsafe { *sid.cast::<u8>().add(1) } as usize;
    let n = 8 + 4 * count;
    // SAFETY: a valid SID is `n` bytes long.
    Some(unsafe { std::slice::from_raw_parts(sid.cast::<u8>(), n) }.to_vec())
}

/// The holder's user and name: SYSTEM as uid 0, this user as `same_user`.
fn holder(pid: u32, me: Option<&Vec<u8>>) -> Holder {
    let mut h = Holder {
        pid,
        uid: None,
        name: None,
        same_user: false,
    };
    // SAFETY: plain call; a null handle is checked below.
    let process = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if process.is_null() {
        return h;
    }
    if let Some(mut sid) = token_user(process) {
        // SAFETY: `sid` holds a whole SID.
        if unsafe { IsWellKnownSid(sid.as_mut_ptr().cast(), WinLocalSystemSid) } != 0 {
            h.uid = Some(0);
        }
        if let Some(me) = me {
            let mut me = me.clone();
            // SAFETY: both hold whole SIDs.
            h.same_user = unsafe { EqualSid(sid.as_mut_ptr().cast(), me.as_mut_ptr().cast()) } != 0;
        }
    }
    let mut name = vec![0u16; 1024];
    let mut len = name.len() as u32;
    // SAFETY: `name` holds `len` UTF-16 units.
    if unsafe { QueryFullProcessImageNameW(process, 0, name.as_mut_ptr(), &mut len) } != 0 {
        let full = String::from_utf16_lossy(name.get(..len as usize).unwrap_or(&[]));
        h.name = full.rsplit('\\').next().map(str::to_string);
    }
    // SAFETY: opened above.
    unsafe { CloseHandle(process) };
    h
}

pub fn holders(
    port: u16,
    _first: &[u32],
    _enough: &dyn Fn(&Holder) -> bool,
) -> Result<Option<Vec<Holder>>, String> {
    let pids = listening_pids(port)?;
    if pids.is_empty() {
        return Ok(None);
    }
    // PID 0 (the idle process) never listens: the table did not say who does (Wine 8 fills
    // in no owner).
    if pids.contains(&0) {
        return Err(crate::i18n::t("listener.no_owner").to_string());
    }
    // SAFETY: the pseudo-handle of this process needs no closing.
    let me = token_user(unsafe { GetCurrentProcess() });
    Ok(Some(
        pids.into_iter().map(|p| holder(p, me.as_ref())).collect(),
    ))
}
