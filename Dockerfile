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
# The .NET memory settings (workstation GC, the 4 MB cap on generation 0, no dynamic PGO) travel in
# Backstroke.runtimeconfig.json. MALLOC_ARENA_MAX is glibc's, so it can only be set here: glibc gives each busy thread
# its own malloc arena (up to 8 per core), and the native allocations of SQLite and the TLS and socket code spread over
# them; two arenas kept 7-12 MB less resident while polling 100,000 links (docs/operating.md, "Memory").
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Backstroke__DataDirectory=/data \
    MALLOC_ARENA_MAX=2
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
