using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using RabbitMQ.Client;

namespace ParallelDsl.Cluster.Broker;

/// <summary>
/// Checks the broker's certificate on an <c>amqps://</c> connection: its chain against the system's roots or the
/// cluster's own (<see cref="ClusterOptions.TrustedRoots"/>), its names against the URI's host, and keeps why it
/// refused one, so a failed connect says which host and what was wrong instead of only that no endpoint was reachable.
/// </summary>
internal sealed class BrokerTls
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private readonly string _host;
    private readonly X509Certificate2Collection? _trustedRoots;
    private string? _refusal;

    private BrokerTls(string host, X509Certificate2Collection? trustedRoots)
    {
        _host = host;
        _trustedRoots = trustedRoots;
    }

    /// <summary>
    /// Takes over the certificate check of a factory whose URI is <c>amqps://</c>; <see langword="null"/> for <c>amqp://</c>.
    /// The client library alone would accept a certificate made out to another host for such a URI; this check does not.
    /// </summary>
    public static BrokerTls? Apply(ConnectionFactory factory, X509Certificate2Collection? trustedRoots)
    {
        if (!factory.Ssl.Enabled)
        {
            return null;
        }

        var tls = new BrokerTls(factory.Ssl.ServerName, trustedRoots);
        factory.Ssl.CertificateValidationCallback = tls.Validate;
        return tls;
    }

    /// <summary>Reads the CA certificates of a PEM file, for <see cref="ClusterOptions.TrustedRoots"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="source">Where the path came from (a switch or a variable), for the message.</param>
    /// <exception cref="ArgumentException">The file cannot be read or holds no certificate.</exception>
    public static X509Certificate2Collection LoadRoots(string path, string source)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"{source} names '{path}', which cannot be read as PEM certificates: {ex.Message}", ex);
        }

        return roots.Count > 0 ? roots : throw new ArgumentException($"{source} names '{path}', which holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }

    /// <summary>
    /// When a failed connect failed in the TLS handshake, the exception to end it with, naming the host, the port and
    /// the reason; else <see langword="null"/>.
    /// </summary>
    public AuthenticationException? Explain(Exception failure, int port)
    {
        string where = $"the broker at {_host}:{port}";
        if (Volatile.Read(ref _refusal) is { } refusal)
        {
            return new AuthenticationException($"The TLS connection to {where} was refused: {refusal}.", failure);
        }

        for (Exception? inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException handshake)
            {
                return new AuthenticationException($"The TLS handshake with {where} failed (is that port the broker's amqps listener?): {handshake.Message}", failure);
            }
        }

        return null;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? refusal = Refusal(certificate, chain, errors);
        Volatile.Write(ref _refusal, refusal);
        return refusal is null;
    }

    private string? Refusal(X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the broker presented no certificate";
        }

        X509Certificate2 certificate = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        string hint = _trustedRoots is null
            ? $"; if a private CA signed it, trust that CA with ClusterOptions.TrustedRoots or the {ClusterOptions.TlsCaVariable} variable (a PEM file)"
            : string.Empty;
        string? untrusted = _trustedRoots is null
            ? (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? Describe(chain) : null)
            : ChainToOwnRoots(certificate, chain);
        if (untrusted is not null)
        {
            return $"its certificate ({certificate.Subject}) does not validate: {untrusted}{hint}";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"its certificate is made out to {string.Join(", ", Names(certificate))}, not to '{_host}' (the host of the URI); connect by a name the certificate holds";
        }

        return null;
    }

    /// <summary>Why the certificate does not chain to one of the cluster's own roots, or <see langword="null"/> when it does.</summary>
    private string? ChainToOwnRoots(X509Certificate2 certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots!);
        // A private CA seldom publishes revocation lists; the roots are the trust decision.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        return chain.Build(certificate) ? null : $"{Describe(chain)} (checked against the {_trustedRoots!.Count} trusted root certificates given, not the system's)";
    }

    private static string Describe(X509Chain? chain)
    {
        List<string> problems = chain is null
            ? []
            : [.. chain.ChainStatus.Where(status => status.Status != X509ChainStatusFlags.NoError)
                .Select(status => string.IsNullOrWhiteSpace(status.StatusInformation) ? status.Status.ToString() : $"{status.Status} ({status.StatusInformation.Trim()})")
                .Distinct()];
        return problems.Count == 0 ? "its chain is not trusted" : string.Join("; ", problems);
    }

    private static IEnumerable<string> Names(X509Certificate2 certificate)
    {
        X509SubjectAlternativeNameExtension? names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        List<string> all = names is null ? [] : [.. names.EnumerateDnsNames(), .. names.EnumerateIPAddresses().Select(address => address.ToString())];
        return all.Count > 0 ? all.Select(name => $"'{name}'") : [certificate.Subject];
    }
}
