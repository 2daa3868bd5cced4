using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Administration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DeactivatedAt",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_LiveSessions_Status_EndedAt",
                table: "LiveSessions",
                columns: new[] { "Status", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LiveSessions_Status_StartedAt",
                table: "LiveSessions",
                columns: new[] { "Status", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Contracts_AdvisorId_Status",
                table: "Contracts",
                columns: new[] { "AdvisorId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Contracts_UpdatedAt",
                table: "Contracts",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Stream_Type_Sequence",
                table: "AuditEvents",
                columns: new[] { "Stream", "Type", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_CreatedAt",
                table: "ApiTokens",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LiveSessions_Status_EndedAt",
                table: "LiveSessions");

            migrationBuilder.DropIndex(
                name: "IX_LiveSessions_Status_StartedAt",
                table: "LiveSessions");

            migrationBuilder.DropIndex(
                name: "IX_Contracts_AdvisorId_Status",
                table: "Contracts");

            migrationBuilder.DropIndex(
                name: "IX_Contracts_UpdatedAt",
                table: "Contracts");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Stream_Type_Sequence",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_ApiTokens_CreatedAt",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "DeactivatedAt",
                table: "AspNetUsers");
        }
    }
}
