using System.Net;
using System.Net.Sockets;

namespace Backstroke.Tests.Support;

/// <summary>A TCP port on 127.0.0.1 that nothing listens on right now, for what must know its address before it starts.</summary>
internal static class FreePort
{
    // Below Linux's ephemeral range (32768-60999 by default): a port the system hands out for port 0 is soon handed
    // out again as the local end of some outgoing connection, and a server started there a moment later cannot bind.
    private const int First = 20_000;
    private const int Last = 32_000;

    private static int next = First + Random.Shared.Next(Last - First);

    public static int Next()
    {
        for (var tries = 0; tries < Last - First; tries++)
        {
            var port = First + (Interlocked.Increment(ref next) % (Last - First));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException($"No free TCP port between {First} and {Last} on 127.0.0.1.");
    }
}
