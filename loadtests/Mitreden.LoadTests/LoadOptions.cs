using System.Globalization;
using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Scenarios;

namespace Mitreden.LoadTests;

/// <summary>Command-line options. Every value has a default; <c>--quick</c> switches the plans to a ~30 s run.</summary>
public sealed class LoadOptions
{
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1:8080/");
    public List<string> Scenarios { get; private set; } = ["noop", "vote-burst"];
    public bool Quick { get; private set; }
    public string? OutputFolder { get; private set; }
    public Dictionary<string, string> Plans { get; } = new();
    public double WarmupSeconds { get; private set; } = -1;
    public int ClosedUsers { get; private set; } = 64;
    public double ClosedSeconds { get; private set; } = -1;
    public long MaxRequests { get; private set; } = 2_000_000;
    public double MaxSeconds { get; private set; } = 900;
    public int MaxInFlight { get; private set; } = 4096;
    public int TimeoutMs { get; private set; } = 10_000;
    public double LagSample { get; private set; } = 0.01;
    public double DrainTimeoutSeconds { get; private set; } = 120;
    public double RevoteShare { get; private set; } = 0.10;
    public double SettleSeconds { get; private set; } = -1;
    public int Voters { get; private set; }
    public string? VotersFile { get; private set; }

    /// <summary>Fault run (<c>--fault NAME</c>): the last line is the fault summary instead of the bench line.</summary>
    public string? FaultName { get; private set; }
    public List<FaultAction> FaultActions { get; } = [];
    /// <summary>
    /// <c>--fault-seamless</c>: the vote path must not notice the fault (no failed request); passed when votes were
    /// accepted after every action returned, the recovery time is only reported.
    /// </summary>
    public bool FaultSeamless { get; private set; }

    /// <summary>Fixed wait after creating test voters when the RabbitMQ management API is not known.</summary>
    public double SettleFallbackSeconds => SettleSeconds >= 0 ? SettleSeconds : Quick ? 10 : 20;
    public string AdminEmail { get; private set; } = "admin@demo.mitreden.de";
    public string AdminPassword { get; private set; } = "Demo-Passwort-2026!";
    public string District { get; private set; } = "mitte";
    public int Options { get; private set; } = 12;

    /// <summary>Default plans (open steps RATExSECONDS; the closed step and the warm-up are added by <see cref="PlanFor"/>).</summary>
    public string DefaultPlan(string scenario) => (scenario, Quick) switch
    {
        ("noop", true) => "1000x4",
        ("noop", false) => "500x15,1000x15,1500x15",
        ("vote-burst", true) => "500x4,1000x6,1500x8",
        ("vote-burst", false) => "500x20,1000x30,1500x60",
        ("mixed", true) => "200x5,400x5",
        ("mixed", false) => "200x20,400x20,800x20",
        _ => "100x5",
    };

    public IReadOnlyList<LoadStep> PlanFor(string scenario)
    {
        var steps = new List<LoadStep>();
        var open = LoadStep.ParsePlan(Plans.GetValueOrDefault(scenario) ?? DefaultPlan(scenario));
        // Quick too warms up long enough for the JIT's second tier: `bench` has just restarted the gateway, and a closed
        // no-op step on a gateway still being compiled made ratio_vs_noop look three times better than it is.
        var warmup = WarmupSeconds >= 0 ? WarmupSeconds : Quick ? 8 : 10;
        if (warmup > 0 && open.Count > 0 && open[0].Model == LoadModel.Open)
        {
            steps.Add(LoadStep.Open(Math.Max(50, open[0].Rate / 2), warmup, warmup: true));
        }
        // The closed step comes before the open steps: after an overloaded open step the services are still
        // working off queued votes, which would make the capacity (and ratio_vs_noop) depend on the step before.
        var closed = ClosedSeconds >= 0 ? ClosedSeconds : Quick ? 4 : 15;
        if (closed > 0 && ClosedUsers > 0 && scenario != "mixed")
        {
            steps.Add(LoadStep.Closed(ClosedUsers, closed));
        }
        steps.AddRange(open);
        return steps;
    }

    public const string Usage = """
        Mitreden load driver (loopback only). Usage: Mitreden.LoadTests [options]
          --base-url URL          gateway (default http://127.0.0.1:8080); only 127.0.0.0/8, ::1, localhost
          --scenarios LIST        noop,vote-burst,mixed (default noop,vote-burst; run in the given order)
          --quick                 ~30 s of load instead of the full plans
          --plan NAME=PLAN        steps of one scenario, e.g. vote-burst=500x20,1000x30,1500x60 (RATExSECONDS)
          --warmup S              warm-up seconds at half the first rate, not counted (default 10, quick 8)
          --closed-users N        users of the closed-model step (default 64; 0 = no closed step)
          --closed-seconds S      its duration (default 15, quick 4)
          --max-requests N        hard cap on requests over the whole run (default 2000000)
          --max-seconds S         hard cap on the run's load time (default 900)
          --max-in-flight N       open model: more outstanding requests count as client-saturated (default 4096)
          --timeout-ms N          per-request timeout (default 10000)
          --lag-sample F          share of accepted votes whose end-to-end lag is measured (default 0.01)
          --drain-timeout S       wait at most this long for the vote pipeline to drain (default 120)
          --revote-share F        share of vote requests that change an accepted vote (default 0.10)
          --voters N              test voters to create for the vote burst (default: first votes of the plan)
          --settle-seconds S      wait after creating test voters when MITREDEN_BENCH_RABBIT_MGMT is unset (default 20, quick 10)
          --voters-file F         keep the test voters in F (mode 600) and reuse them from there for 40 minutes
          --fault NAME            fault run: the last line is "fault=NAME accepted= counted= lost= duplicated= errors= recovery_s= passed="
          --fault-action S=CMD    run CMD (bash -c) S seconds into the vote load (+S=CMD: S seconds after the action
                                  before it returned); repeatable; they run one after another, never overlapping; the
                                  first one injects the fault and recovery is measured from it (./mitreden faults)
          --fault-seamless        the vote path must not notice the fault: every vote request must get its 202, and
                                  votes must be accepted after each action returned (instead of a recovery time)
          --out DIR               output folder (default loadtests/out/<timestamp>)
          --admin-email E, --admin-password P, --district D, --options N
        """;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            double Number() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "--base-url": o.BaseUrl = LoopbackGuard.Require(Value()); break;
                case "--scenarios":
                    o.Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    foreach (var s in o.Scenarios.Where(s => !ScenarioCatalog.Names.Contains(s)))
                    {
                        throw new ArgumentException($"Unknown scenario '{s}'.");
                    }
                    break;
                case "--quick": o.Quick = true; break;
                case "--plan":
                    var plan = Value();
                    var eq = plan.IndexOf('=');
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--plan needs NAME=PLAN.");
                    }
                    LoadStep.ParsePlan(plan[(eq + 1)..]);
                    o.Plans[plan[..eq]] = plan[(eq + 1)..];
                    break;
                case "--warmup": o.WarmupSeconds = Number(); break;
                case "--closed-users": o.ClosedUsers = (int)Number(); break;
                case "--closed-seconds": o.ClosedSeconds = Number(); break;
                case "--max-requests": o.MaxRequests = (long)Number(); break;
                case "--max-seconds": o.MaxSeconds = Number(); break;
                case "--max-in-flight": o.MaxInFlight = (int)Number(); break;
                case "--timeout-ms": o.TimeoutMs = (int)Number(); break;
                case "--lag-sample": o.LagSample = Math.Clamp(Number(), 0, 1); break;
                case "--drain-timeout": o.DrainTimeoutSeconds = Number(); break;
                case "--revote-share": o.RevoteShare = Math.Clamp(Number(), 0, 0.5); break;
                case "--settle-seconds": o.SettleSeconds = Number(); break;
                case "--voters": o.Voters = Math.Max(0, (int)Number()); break;
                case "--voters-file": o.VotersFile = Value(); break;
                case "--fault": o.FaultName = Value(); break;
                case "--fault-action": o.FaultActions.Add(FaultAction.Parse(Value())); break;
                case "--fault-seamless": o.FaultSeamless = true; break;
                case "--out": o.OutputFolder = Value(); break;
                case "--admin-email": o.AdminEmail = Value(); break;
                case "--admin-password": o.AdminPassword = Value(); break;
                case "--district": o.District = Value(); break;
                case "--options": o.Options = Math.Clamp((int)Number(), 2, 100); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        if ((o.FaultActions.Count > 0 || o.FaultSeamless) && o.FaultName is null)
        {
            throw new ArgumentException("--fault-action and --fault-seamless need --fault NAME.");
        }
        if (o.MaxRequests <= 0 || o.MaxSeconds <= 0 || o.MaxInFlight <= 0 || o.TimeoutMs <= 0)
        {
            throw new ArgumentException("Caps and timeouts must be positive.");
        }
        return o;
    }
}
