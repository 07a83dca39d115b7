# Backstroke: one process, one volume. Build: docker build -t backstroke .
# Run:   docker run -p 8080:8080 -v backstroke-data:/data -e GitHub__ClientId=... -e GitHub__ClientSecret=... backstroke

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that the package layer is cached across code changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY Backstroke/Backstroke.csproj Backstroke/
RUN dotnet restore Backstroke/Backstroke.csproj
COPY Backstroke/ Backstroke/
RUN dotnet publish Backstroke/Backstroke.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The SQLite database and the Data Protection keys live on the volume; the image's own user owns it.
# DOTNET_GCgen0size: the GC sizes its youngest generation from the CPU's L3 cache, which on cloud machines can be
# hundreds of MB; 4 MB keeps the heap small (README, "Memory"). It has no runtimeconfig equivalent.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Backstroke__DataDirectory=/data \
    DOTNET_GCgen0size=0x400000
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
EXPOSE 8080
COPY --from=build /app ./
# APP_UID is the non-root user that the .NET images ship.
USER $APP_UID
# SIGTERM starts a graceful stop: running syncs get Sync:ShutdownGrace (20 s) to finish, the rest go back to the
# queue, and the process exits 0. docker stop waits only 10 s by default: use `docker stop -t 30`.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "Backstroke.dll"]
