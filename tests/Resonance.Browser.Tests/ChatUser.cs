using Microsoft.Playwright;
using Resonance.Testing;
using static Microsoft.Playwright.Assertions;

namespace Resonance.Browser.Tests;

/// <summary>One person using the chat page in a browser context of their own.</summary>
public sealed class ChatUser : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private ChatUser(IBrowserContext context, IPage page, string username)
    {
        _context = context;
        Page = page;
        Username = username;
    }

    public IPage Page { get; }

    public string Username { get; }

    public ILocator ConnectionState => Page.GetByTestId("connection-state");

    /// <summary>The contents of the stored messages of the open session, in the order shown (pending sends excluded).</summary>
    public ILocator Messages => Page.Locator("#messages > [data-testid=message] [data-testid=message-content]");

    public ILocator PendingMessages => Page.Locator("#messages > [data-testid=pending-message]");

    /// <summary>The texts of the errors shown.</summary>
    public ILocator Errors => Page.Locator("[data-testid=error] .error-message");

    /// <summary>The failure texts of the sends shown as failed.</summary>
    public ILocator FailedMessages => Page.Locator("#messages > [data-testid=pending-message][data-state=failed]");

    public ILocator Broadcasts => Page.GetByTestId("broadcast");

    /// <summary>Opens the page, signs in and waits until the socket is connected.</summary>
    /// <param name="beforeLoad">Runs before the page is loaded: to install a fake clock or route its socket.</param>
    public static async Task<ChatUser> SignInAsync(IBrowser browser, StandaloneServer server, string username, Func<IPage, Task>? beforeLoad = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var user = new ChatUser(context, page, username);
        if (beforeLoad is not null)
        {
            await beforeLoad(page);
        }

        await page.GotoAsync("/");
        await user.SignInFormAsync(username);
        return user;
    }

    /// <summary>Signs in from the form (after a sign-out) and waits until the socket is connected.</summary>
    public async Task SignInFormAsync(string username)
    {
        await Page.Locator("#username").FillAsync(username);
        await Page.Locator("#sign-in-button").ClickAsync();
        await Expect(Page.GetByTestId("me")).ToHaveTextAsync(username);
        await Expect(ConnectionState).ToHaveAttributeAsync("data-state", "connected");
    }

    public async Task SignOutAsync()
    {
        await Page.Locator("#sign-out").ClickAsync();
        await Expect(ConnectionState).ToHaveAttributeAsync("data-state", "signed-out");
    }

    /// <summary>Creates a session from the form; the page opens it. Returns its id.</summary>
    /// <param name="kind">Group or direct.</param>
    /// <param name="name">The name; empty for none.</param>
    /// <param name="members">Members besides this user.</param>
    public async Task<string> CreateSessionAsync(string kind, string name, params string[] members)
    {
        await Page.Locator("#new-session-kind").SelectOptionAsync(kind);
        await Page.Locator("#new-session-name").FillAsync(name);
        await Page.Locator("#new-session-members").FillAsync(string.Join(", ", members));
        await Page.Locator("#create-session").ClickAsync();
        // The page titles an unnamed session after its other members.
        await Expect(Page.GetByTestId("session-title")).ToHaveTextAsync(name.Length > 0 ? name : string.Join(", ", members));
        var selected = Page.Locator("[data-testid=session][aria-current=true]");
        return await selected.GetAttributeAsync("data-session-id") ?? throw new InvalidOperationException("No session is selected.");
    }

    public ILocator Session(string sessionId) => Page.Locator($"[data-testid=session][data-session-id='{sessionId}']");

    public ILocator UnreadCount(string sessionId) => Session(sessionId).GetByTestId("unread-count");

    public async Task OpenAsync(string sessionId)
    {
        await Session(sessionId).ClickAsync();
        await Expect(Session(sessionId)).ToHaveAttributeAsync("aria-current", "true");
    }

    public Task RefreshSessionsAsync() => Page.Locator("#refresh-sessions").ClickAsync();

    /// <summary>Types a message into the open session and presses Enter.</summary>
    public async Task SendAsync(string content)
    {
        await Page.Locator("#message-input").FillAsync(content);
        await Page.Locator("#message-input").PressAsync("Enter");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
