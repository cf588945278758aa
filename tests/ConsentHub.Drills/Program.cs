using ConsentHub.Drills;

// ConsentHub.Drills circuit --base <url> --email <e> --password <p> --pupil <id> --class <name> --purpose <name>
//   --before <words> --after <words> --again <words> [--screenshots <dir>]
if (args is not ["circuit", .. var rest])
{
    await Console.Error.WriteLineAsync("usage: ConsentHub.Drills circuit --base <url> --email <e> --password <p> --pupil <id> --class <name> --purpose <name> --before <words> --after <words> --again <words> [--screenshots <dir>]");
    return 2;
}
var options = CircuitProbeOptions.Parse(rest);
return await new CircuitProbe(options, Console.Out, Console.In).RunAsync();
