namespace Mitreden.TestKit;

/// <summary>Waits for something that happens asynchronously (a message consumed, a tally updated).</summary>
public static class Eventually
{
    public static async Task AssertAsync(Func<Task> assertion, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (until(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; a request that fails on the way (the stack still starting, a
    /// consumer not there yet) counts as "not yet". Fails with <paramref name="failure"/> and the last error.
    /// </summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or KeyNotFoundException)
            {
                last = ex;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{failure} (after {timeout.TotalSeconds:0} s){(last is null ? "" : ": " + last.Message)}");
    }
}
