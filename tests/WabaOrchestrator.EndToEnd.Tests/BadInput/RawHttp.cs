using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>An HTTP/1.1 answer as it came off the wire.</summary>
/// <param name="Status">The status code, or 0 when no answer came (the failure says why in <paramref name="Error"/>).</param>
/// <param name="Headers">Header names are compared ignoring case; repeated headers are joined with a comma.</param>
/// <param name="Body">The body, de-chunked.</param>
/// <param name="Error">Why there is no answer.</param>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body, string? Error = null)
{
    public string? ContentType => Headers.GetValueOrDefault("Content-Type");
}

/// <summary>
/// A deliberately dumb HTTP/1.1 client: one connection per request, the request written byte for byte, the answer read
/// to the end (<c>Connection: close</c>). HttpClient cannot send most of the corpus: it normalises dot segments,
/// refuses control characters and fixes up headers. The body is written while the answer is read, because the server
/// may answer (413, 401) and close without reading a 40 MB body; a write failing after that is expected.
/// </summary>
public static class RawHttp
{
    private const int MaxAnswerBytes = 4 * 1024 * 1024;
    private static readonly byte[] Chunk = new byte[64 * 1024];

    public static async Task<RawResponse> SendAsync(Uri server, BadRequestCase request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Head(server, request), cts.Token);
            var writing = WriteBodyAsync(stream, request.Body, cts.Token);
            var answer = await ReadToEndAsync(stream, cts.Token);
            try
            {
                await writing;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server answered without reading all of the body and closed the connection: what a limit does.
            }

            return Parse(answer);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return new RawResponse(0, new Dictionary<string, string>(), "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] Head(Uri server, BadRequestCase request)
    {
        var head = new StringBuilder()
            .Append(request.Method).Append(' ').Append(request.Target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in request.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (request.Body is { } body)
        {
            head.Append(body.Chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        // Latin-1 keeps every char below 256 as one byte: the corpus's control bytes travel as written.
        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    private static async Task WriteBodyAsync(NetworkStream stream, RequestBody? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return;
        }

        var filler = new byte[Chunk.Length];
        Array.Fill(filler, body.Filler);
        await WritePieceAsync(stream, body.Prefix, body.Chunked, cancellationToken);
        for (var left = body.FillerLength; left > 0; left -= filler.Length)
        {
            await WritePieceAsync(stream, filler.AsMemory(0, (int)Math.Min(left, filler.Length)), body.Chunked, cancellationToken);
        }

        if (body.Chunked)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        }
    }

    private static async Task WritePieceAsync(NetworkStream stream, ReadOnlyMemory<byte> piece, bool chunked, CancellationToken cancellationToken)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        if (chunked)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken);
        }

        await stream.WriteAsync(piece, cancellationToken);
        if (chunked)
        {
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0 && answer.Length < MaxAnswerBytes)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (answer.Length > 0)
        {
            // A reset after the answer (the server closing on an unread body): the answer is complete.
        }

        return answer.ToArray();
    }

    private static RawResponse Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return new RawResponse(0, new Dictionary<string, string>(), Encoding.UTF8.GetString(raw), $"no complete HTTP answer ({raw.Length} bytes)");
        }

        var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        var status = statusParts.Length >= 2 && int.TryParse(statusParts[1], CultureInfo.InvariantCulture, out var code) ? code : 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var previous) ? previous + ", " + value : value;
            }
        }

        var body = raw.AsSpan(end + 4);
        var chunked = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return new RawResponse(status, headers, Encoding.UTF8.GetString(chunked ? Dechunk(body) : body));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        using var body = new MemoryStream();
        while (!chunked.IsEmpty)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0
                || !int.TryParse(Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size)
                || size == 0)
            {
                break;
            }

            var data = chunked[(lineEnd + 2)..];
            body.Write(data[..Math.Min(size, data.Length)]);
            chunked = data[Math.Min(size + 2, data.Length)..];
        }

        return body.ToArray();
    }
}
