namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the test script starts on loopback (.ci/test.sh), found through the
/// environment variable <see cref="EnvironmentVariable"/>. Tests that need it skip when it is absent,
/// and the closing line counts them as skipped.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "COMPLIANCEHUB_TEST_POSTGRES";

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : null;

    public static string RequireAdminConnectionString()
    {
        var cs = AdminConnectionString;
        if (cs is null)
        {
            Assert.Skip($"No PostgreSQL server: {EnvironmentVariable} is not set (the test script sets it when it can install and start one).");
        }

        return cs;
    }
}
