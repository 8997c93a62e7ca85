/** The Live section until live captions land in the studio. */
export function LiveNotice() {
  return (
    <section className="view" aria-labelledby="live-title">
      <header className="view-header">
        <h2 id="live-title">Live</h2>
      </header>
      <div className="empty">
        <p className="empty-title">Live captions arrive in a later release</p>
        <p className="muted">
          Scripts can already use them: stream 16 kHz PCM16 audio to <code>WS /v1/live</code> and
          read partial and final captions back (see the API guide).
        </p>
      </div>
    </section>
  );
}
