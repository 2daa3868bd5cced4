using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropLiveSessionActivities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LiveSessionActivities");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LiveSessionActivities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IpAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ParticipantId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveSessionActivities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LiveSessionActivities_LiveSessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "LiveSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LiveSessionActivities_SessionId_Id",
                table: "LiveSessionActivities",
                columns: new[] { "SessionId", "Id" });
        }
    }
}
