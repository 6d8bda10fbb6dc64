namespace ComplianceHub.Core.Common;

/// <summary>
/// Gives the native heap's free pages back to the system (glibc's <c>malloc_trim</c>): glibc keeps them otherwise,
/// notably in other threads' arenas, and a long job's working set creeps up (a PDF's Skia documents, chunk by chunk).
/// </summary>
public static class NativeHeap
{
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, for one): nothing to trim.
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
