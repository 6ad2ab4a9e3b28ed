global using Xunit;
global using WorldModel.TestKit;
