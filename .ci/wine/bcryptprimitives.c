/*
 * Minimal stand-in for bcryptprimitives.dll, for running Rust (>= 1.78)
 * Windows binaries under Wine 8.0 (Debian 12), which ships no
 * bcryptprimitives.dll at all. Rust std (and the getrandom crate) import
 * exactly one symbol from it: ProcessPrng. We implement it on top of
 * advapi32's SystemFunction036 (RtlGenRandom), which Wine 8 provides.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll \
 *            bcryptprimitives.c bcryptprimitives.def -ladvapi32
 * Used by .ci/wine-setup.sh (installed into the prefix's system32).
 */
#include <windows.h>

/* RtlGenRandom is exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData); always TRUE on Windows. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        /* RtlGenRandom takes a ULONG length: feed large requests in chunks. */
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst; (void)reason; (void)reserved;
    return TRUE;
}
