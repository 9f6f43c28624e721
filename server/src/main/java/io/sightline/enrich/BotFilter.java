package io.sightline.enrich;

/** Drops events sent by bots (see {@link DeviceDetector} for what counts), or keeps them flagged. */
public final class BotFilter implements Step {
    private final boolean keepBots;

    public BotFilter(boolean keepBots) {
        this.keepBots = keepBots;
    }

    @Override
    public String name() {
        return "bot_filter";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        if (!request.device().bot()) {
            return draft;
        }
        return keepBots ? draft.flaggedAsBot() : Outcome.Drop.BOT;
    }
}
