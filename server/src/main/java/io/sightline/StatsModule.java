package io.sightline;

import io.sightline.auth.AppStore;
import io.sightline.http.Routes;
import io.sightline.rollup.RollupStore;
import io.sightline.rollup.SqlRollupStore;
import io.sightline.stats.BreakdownService;
import io.sightline.stats.DamagedRollups;
import io.sightline.stats.EventExport;
import io.sightline.stats.ExportHandler;
import io.sightline.stats.FunnelHandler;
import io.sightline.stats.FunnelService;
import io.sightline.stats.JooqRunner;
import io.sightline.stats.LatestEvents;
import io.sightline.stats.LatestEventsHandler;
import io.sightline.stats.RealtimeService;
import io.sightline.stats.StatsHandler;
import io.sightline.stats.StatsQueryParser;
import io.sightline.stats.SummaryService;
import io.sightline.stats.TimeseriesService;

import java.util.concurrent.ThreadPoolExecutor;

/** The stats API: summary, time series, breakdown and realtime, the funnel, the latest events, and the raw export. */
final class StatsModule {
    /** A stats query or a funnel past this is cancelled rather than hold a pooled connection. */
    private static final int QUERY_TIMEOUT_SECONDS = 30;

    private final StatsHandler stats;
    private final FunnelHandler funnel;
    private final ExportHandler export;
    private final LatestEventsHandler latest;

    private StatsModule(StatsHandler stats, FunnelHandler funnel, ExportHandler export, LatestEventsHandler latest) {
        this.stats = stats;
        this.funnel = funnel;
        this.export = export;
        this.latest = latest;
    }

    static StatsModule build(Shared shared, AppStore apps) {
        var dataSource = shared.database().dataSource();
        StatsQueryParser params = new StatsQueryParser(shared.clock());
        JooqRunner db = new JooqRunner(dataSource, QUERY_TIMEOUT_SECONDS);
        DamagedRollups damaged = new DamagedRollups();
        RollupStore rollups = new SqlRollupStore();
        StatsHandler stats = new StatsHandler(apps, params, new SummaryService(db, damaged, rollups),
                new TimeseriesService(db, damaged, rollups), new BreakdownService(db, damaged, rollups),
                new RealtimeService(db, shared.clock()));
        ThreadPoolExecutor funnelReaders = FunnelService.readerPool(Shared.daemon("funnel-reader"));
        shared.teardown().push("funnel readers", funnelReaders::shutdownNow);
        FunnelHandler funnel = new FunnelHandler(new FunnelService(apps, params, dataSource, QUERY_TIMEOUT_SECONDS,
                funnelReaders, rollups));
        ExportHandler export = new ExportHandler(new EventExport(apps, params, dataSource));
        LatestEventsHandler latest = new LatestEventsHandler(new LatestEvents(apps, params, db, shared.mapper()));
        return new StatsModule(stats, funnel, export, latest);
    }

    Routes routes() {
        return table -> {
            stats.routes(table);
            funnel.routes(table);
            export.routes(table);
            latest.routes(table);
        };
    }
}
