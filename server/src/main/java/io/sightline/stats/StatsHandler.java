package io.sightline.stats;

import io.javalin.http.Context;
import io.sightline.auth.App;
import io.sightline.auth.AppStore;
import io.sightline.error.NotFound;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.JsonBody;
import io.sightline.http.RouteTable;
import io.sightline.store.Dimension;

import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stats routes: parse the query, one service call, answer JSON. Access is checked before (Access.STATS). */
public final class StatsHandler {
    private final AppStore apps;
    private final StatsQueryParser parser;
    private final SummaryService summary;
    private final TimeseriesService timeseries;
    private final BreakdownService breakdown;
    private final RealtimeService realtime;

    public StatsHandler(AppStore apps, StatsQueryParser parser, SummaryService summary, TimeseriesService timeseries,
                        BreakdownService breakdown, RealtimeService realtime) {
        this.apps = apps;
        this.parser = parser;
        this.summary = summary;
        this.timeseries = timeseries;
        this.breakdown = breakdown;
        this.realtime = realtime;
    }

    /** The stats routes: an API token of the app, or an admin token. */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/apps/{app}/stats/summary", this::summary, Access.STATS);
        routes.get("/api/v1/apps/{app}/stats/timeseries", this::timeseries, Access.STATS);
        routes.get("/api/v1/apps/{app}/stats/breakdown", this::breakdown, Access.STATS);
        routes.get("/api/v1/apps/{app}/stats/realtime", this::realtime, Access.STATS);
    }

    public void summary(Context ctx) throws SQLException {
        ctx.json(summary.summary(query(ctx, Set.of())));
    }

    public void timeseries(Context ctx) throws SQLException {
        StatsQuery query = query(ctx, Set.of("interval"));
        String name = StatsQueryParser.single(ctx.queryParamMap(), "interval");
        Interval interval = name == null ? Interval.DAY : Interval.byName(name).orElseThrow(() ->
                ApiException.badRequest("invalid_value", "interval must be one of hour, day, week, month", "interval"));
        ctx.json(timeseries.timeseries(query, interval));
    }

    public void breakdown(Context ctx) throws SQLException {
        Map<String, List<String>> params = ctx.queryParamMap();
        StatsQuery query = query(ctx, Set.of("by", "limit", "page"));
        String by = StatsQueryParser.single(params, "by");
        if (by == null) {
            throw ApiException.badRequest("missing_parameter", "by is required: one of "
                    + StatsQueryParser.dimensionNames(), "by");
        }
        Dimension dimension = Dimension.byName(by).orElseThrow(() -> ApiException.badRequest("unknown_dimension",
                "unknown dimension \"" + (by.length() > 64 ? by.substring(0, 64) : by) + "\"; known: "
                        + StatsQueryParser.dimensionNames(), "by"));
        int limit = StatsQueryParser.integer(params, "limit", 1, BreakdownService.MAX_LIMIT, 10);
        int page = StatsQueryParser.integer(params, "page", 1, BreakdownService.MAX_PAGE, 1);
        ctx.json(breakdown.breakdown(query, dimension, limit, page));
    }

    public void realtime(Context ctx) throws SQLException {
        App app = app(ctx);
        ctx.json(realtime.realtime(parser.parseWithoutRange(app.id(), ZoneId.of(app.timeZone()), ctx.queryParamMap(),
                Set.of())));
    }

    private StatsQuery query(Context ctx, Set<String> endpointParams) throws SQLException {
        App app = app(ctx);
        return parser.parse(app.id(), ZoneId.of(app.timeZone()), ctx.queryParamMap(), endpointParams);
    }

    private App app(Context ctx) throws SQLException {
        return apps.byId(JsonBody.appId(ctx)).orElseThrow(NotFound::app);
    }
}
