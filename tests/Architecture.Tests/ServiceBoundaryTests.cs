namespace Mitreden.Architecture.Tests;

/// <summary>A service uses another service only through its Contracts; the web uses no service's internals.</summary>
public sealed class ServiceBoundaryTests
{
    public static TheoryData<string> Services => new(Repository.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_ReferencesNoOtherServicesProject_ContractsAside(string service)
    {
        var projectRefs = Repository.ProjectReferences(File.ReadAllText(Repository.ServiceProject(service)));
        var assemblyRefs = Repository.AssemblyReferences(Repository.BuiltAssembly($"Mitreden.{service}.Api"));

        DependencyRules.ForeignServiceReferences(service, projectRefs.Concat(assemblyRefs)).Should().BeEmpty();
    }

    [Fact]
    public void Web_ReferencesNoServiceInternals_ContractsAside()
    {
        var projectRefs = Repository.ProjectReferences(File.ReadAllText(Repository.WebProject));
        var assemblyRefs = Repository.AssemblyReferences(Repository.BuiltAssembly("Mitreden.Web"));

        DependencyRules.ServiceInternalsOfTheWeb(projectRefs.Concat(assemblyRefs)).Should().BeEmpty();
    }

    [Fact]
    public void ForeignServiceReferences_AnotherServicesApi_IsFound_ItsContractsAndSharedNot()
    {
        const string project = """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <ItemGroup>
                <ProjectReference Include="../../Shared/Mitreden.ServiceDefaults/Mitreden.ServiceDefaults.csproj" />
                <ProjectReference Include="../Mitreden.Comments.Contracts/Mitreden.Comments.Contracts.csproj" />
                <ProjectReference Include="..\..\Voting\Mitreden.Voting.Api\Mitreden.Voting.Api.csproj" />
                <ProjectReference Include="../../Proposals/Mitreden.Proposals.Contracts/Mitreden.Proposals.Contracts.csproj" />
                <ProjectReference Include="../Mitreden.Comments.Api.Tools/Mitreden.Comments.Api.Tools.csproj" />
              </ItemGroup>
            </Project>
            """;

        DependencyRules.ForeignServiceReferences("Comments", Repository.ProjectReferences(project))
            .Should().Equal("Mitreden.Voting.Api");
        DependencyRules.ForeignServiceReferences("Comments", ["Mitreden.Moderation.Api", "Mitreden.Identity.Contracts", "Mitreden.Ui"])
            .Should().Equal("Mitreden.Moderation.Api");
    }

    [Fact]
    public void ServiceInternalsOfTheWeb_AServicesApi_IsFound_ContractsNot()
    {
        DependencyRules.ServiceInternalsOfTheWeb(["Mitreden.ServiceDefaults", "Mitreden.Proposals.Contracts", "Mitreden.Voting.Api", "Mitreden.Ui"])
            .Should().Equal("Mitreden.Voting.Api");
    }

    [Fact]
    public void AssemblyReferences_OfABuiltService_IncludeItsContracts()
    {
        // The metadata reader sees real references (so an empty answer above means none, not an unread file).
        Repository.AssemblyReferences(Repository.BuiltAssembly("Mitreden.Voting.Api")).Should().Contain("Mitreden.Voting.Contracts");
    }
}
