namespace Sources.TestServers;

/// <summary>
/// The README's openssl recipe, run as written: a cluster CA, then node certificates it signs.
/// Tests use it to show that what an operator makes that way is what a node loads and accepts.
/// </summary>
public static class OpensslCertificates
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>ca.pem (and ca.key) in the folder; its path.</summary>
    public static async Task<string> AuthorityAsync(string folder)
    {
        await Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Path.Combine(folder, "ca.key"), "-out", Path.Combine(folder, "ca.pem"), "-days", "3650",
            "-subj", "/CN=sources cluster CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return Path.Combine(folder, "ca.pem");
    }

    /// <summary>NAME.pem and NAME.key in the folder, signed by the folder's CA; their paths.</summary>
    public static async Task<(string Certificate, string Key)> NodeAsync(string folder, string name)
    {
        string key = Path.Combine(folder, $"{name}.key"), request = Path.Combine(folder, $"{name}.csr"), certificate = Path.Combine(folder, $"{name}.pem");
        var extensions = Path.Combine(folder, "node.ext");
        await Openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", request, "-subj", $"/CN={name}");
        await File.WriteAllTextAsync(extensions, "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n");
        await Openssl("x509", "-req", "-in", request, "-CA", Path.Combine(folder, "ca.pem"), "-CAkey", Path.Combine(folder, "ca.key"),
            "-CAcreateserial", "-out", certificate, "-days", "825", "-extfile", extensions);
        return (certificate, key);
    }

    private static Task Openssl(params string[] arguments) => ProcessRunner.RunAsync("openssl", arguments, Timeout, asServiceUser: false);
}
