using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IdentityCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IdentityCheck",
                table: "Signatures",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AdvisorCheck_CheckedAt",
                table: "Contracts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_CheckedById",
                table: "Contracts",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_DocumentEnding",
                table: "Contracts",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_DocumentType",
                table: "Contracts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_Method",
                table: "Contracts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CustomerPhone",
                table: "Contracts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IdentityCheckOff",
                table: "Contracts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "IdentityCheckOffById",
                table: "Contracts",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IdentityCodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ContractId = table.Column<Guid>(type: "uuid", nullable: false),
                    LinkId = table.Column<Guid>(type: "uuid", nullable: false),
                    Purpose = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Destination = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Salt = table.Column<byte[]>(type: "bytea", maxLength: 16, nullable: false),
                    CodeHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    DeviceCheckId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdentityCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IdentityCodes_SessionLinks_LinkId",
                        column: x => x.LinkId,
                        principalTable: "SessionLinks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdentityCodes_LinkId_CreatedAt",
                table: "IdentityCodes",
                columns: new[] { "LinkId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IdentityCodes");

            migrationBuilder.DropColumn(
                name: "IdentityCheck",
                table: "Signatures");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_CheckedAt",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_CheckedById",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_DocumentEnding",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_DocumentType",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_Method",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "CustomerPhone",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "IdentityCheckOff",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "IdentityCheckOffById",
                table: "Contracts");
        }
    }
}
