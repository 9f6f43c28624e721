package io.sightline.enrich;

import java.util.function.Function;

/** Drops events sent by bots (see {@link DeviceDetector} for what counts), or keeps them flagged. */
public final class BotFilter implements Step {
    private final Function<String, DeviceFacts> devices;
    private final boolean keepBots;

    public BotFilter(Function<String, DeviceFacts> devices, boolean keepBots) {
        this.devices = devices;
        this.keepBots = keepBots;
    }

    @Override
    public String name() {
        return "bot filter";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        if (!devices.apply(request.userAgent()).bot()) {
            return draft;
        }
        return keepBots ? draft.flaggedAsBot() : Outcome.Drop.BOT;
    }
}
