global using Xunit;
global using Mitreden.TestKit;
